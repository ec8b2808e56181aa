$KAOHE check tests/data/lang/traditional.kh
