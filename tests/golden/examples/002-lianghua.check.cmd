$KAOHE check examples/002-lianghua/scheme.kh
