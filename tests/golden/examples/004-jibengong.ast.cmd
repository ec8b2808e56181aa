$KAOHE ast examples/004-jibengong/scheme.kh
