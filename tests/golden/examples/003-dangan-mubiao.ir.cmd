$KAOHE ir examples/003-dangan-mubiao/scheme.kh
