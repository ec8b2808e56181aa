$KAOHE ast examples/003-minzheng-xuanchuan/scheme.kh
