$KAOHE ast examples/003-xuexixing-jiguan/scheme.kh
