$KAOHE ast examples/002-lianghua/scheme.kh
