$KAOHE check tests/data/lang/numerals.kh
