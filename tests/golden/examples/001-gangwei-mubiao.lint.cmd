$KAOHE lint examples/001-gangwei-mubiao/scheme.kh
