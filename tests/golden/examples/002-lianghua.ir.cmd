$KAOHE ir examples/002-lianghua/scheme.kh
