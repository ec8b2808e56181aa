$KAOHE ast examples/000-wuge-bumen/scheme.kh
