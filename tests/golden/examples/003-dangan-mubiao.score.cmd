$KAOHE score examples/003-dangan-mubiao/scheme.kh --events examples/003-dangan-mubiao/events.csv --roster examples/003-dangan-mubiao/roster.csv
