$KAOHE lint examples/004-jibengong/scheme.kh
