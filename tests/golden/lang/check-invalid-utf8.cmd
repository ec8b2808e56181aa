$KAOHE check tests/data/lang/invalid-utf8.kh
