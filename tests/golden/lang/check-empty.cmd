$KAOHE check tests/data/lang/empty.kh
