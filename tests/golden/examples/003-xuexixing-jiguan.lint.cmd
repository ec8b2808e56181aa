$KAOHE lint examples/003-xuexixing-jiguan/scheme.kh
