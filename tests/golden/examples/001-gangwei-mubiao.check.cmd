$KAOHE check examples/001-gangwei-mubiao/scheme.kh
