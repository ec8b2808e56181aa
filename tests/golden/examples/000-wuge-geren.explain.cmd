$KAOHE explain examples/000-wuge-geren/scheme.kh --events examples/000-wuge-geren/events.csv --roster examples/000-wuge-geren/roster.csv --person 高志远 2>/dev/null
