$KAOHE lint examples/000-wuge-bumen/scheme.kh
