$KAOHE lint examples/000-wuge-geren/scheme.kh
