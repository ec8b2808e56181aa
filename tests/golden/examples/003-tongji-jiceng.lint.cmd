$KAOHE lint examples/003-tongji-jiceng/scheme.kh
