$KAOHE ast tests/data/lang/numerals.kh
