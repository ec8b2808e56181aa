$KAOHE check examples/003-xuexixing-jiguan/scheme.kh
