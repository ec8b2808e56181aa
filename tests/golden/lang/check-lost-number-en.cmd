$KAOHE check --lang en tests/data/lang/lost-number.kh
