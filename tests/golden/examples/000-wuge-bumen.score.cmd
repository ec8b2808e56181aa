$KAOHE score examples/000-wuge-bumen/scheme.kh --events examples/000-wuge-bumen/events.csv --roster examples/000-wuge-bumen/roster.csv
