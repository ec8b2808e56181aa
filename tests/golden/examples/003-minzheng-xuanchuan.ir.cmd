$KAOHE ir examples/003-minzheng-xuanchuan/scheme.kh
