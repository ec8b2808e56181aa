$KAOHE ir examples/000-wuge-bumen/scheme.kh
