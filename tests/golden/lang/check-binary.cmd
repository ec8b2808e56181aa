$KAOHE check tests/data/lang/binary.kh
