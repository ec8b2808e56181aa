$KAOHE ast examples/000-wuge-geren/scheme.kh
