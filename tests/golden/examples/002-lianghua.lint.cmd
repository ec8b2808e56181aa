$KAOHE lint examples/002-lianghua/scheme.kh
