$KAOHE ir examples/003-xuexixing-jiguan/scheme.kh
