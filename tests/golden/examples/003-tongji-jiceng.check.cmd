$KAOHE check examples/003-tongji-jiceng/scheme.kh
