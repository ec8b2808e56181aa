$KAOHE ir examples/000-wuge-geren/scheme.kh
