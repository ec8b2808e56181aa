$KAOHE score examples/000-wuge-geren/scheme.kh --events examples/000-wuge-geren/events.csv --roster examples/000-wuge-geren/roster.csv --format json 2>/dev/null
