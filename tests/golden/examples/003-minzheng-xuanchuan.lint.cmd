$KAOHE lint examples/003-minzheng-xuanchuan/scheme.kh
