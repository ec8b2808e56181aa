$KAOHE check tests/data/lang/lost-number.kh
