$KAOHE check examples/000-wuge-geren/scheme.kh
