$KAOHE ir examples/001-gangwei-mubiao/scheme.kh
