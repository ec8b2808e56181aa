$KAOHE check examples/000-wuge-bumen/scheme.kh
