$KAOHE ast examples/003-tongji-jiceng/scheme.kh
