$KAOHE check examples/003-minzheng-xuanchuan/scheme.kh
