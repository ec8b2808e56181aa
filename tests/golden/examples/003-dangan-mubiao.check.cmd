$KAOHE check examples/003-dangan-mubiao/scheme.kh
