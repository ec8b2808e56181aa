$KAOHE check tests/data/lang/fullwidth.kh
