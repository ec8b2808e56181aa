$KAOHE ast examples/003-dangan-mubiao/scheme.kh
