$KAOHE lint examples/003-dangan-mubiao/scheme.kh
