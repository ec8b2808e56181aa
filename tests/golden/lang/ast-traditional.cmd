$KAOHE ast tests/data/lang/traditional.kh
