$KAOHE check examples/004-jibengong/scheme.kh
