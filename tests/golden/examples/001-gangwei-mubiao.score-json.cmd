$KAOHE score examples/001-gangwei-mubiao/scheme.kh --events examples/001-gangwei-mubiao/events.csv --roster examples/001-gangwei-mubiao/roster.csv --allow-errors --format json 2>/dev/null
