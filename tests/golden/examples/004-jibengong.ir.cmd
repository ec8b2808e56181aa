$KAOHE ir examples/004-jibengong/scheme.kh
