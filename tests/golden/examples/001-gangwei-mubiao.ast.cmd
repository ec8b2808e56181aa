$KAOHE ast examples/001-gangwei-mubiao/scheme.kh
