$KAOHE ir examples/003-tongji-jiceng/scheme.kh
