$KAOHE score examples/003-tongji-jiceng/scheme.kh --events examples/003-tongji-jiceng/events.csv --roster examples/003-tongji-jiceng/roster.csv --format json 2>/dev/null
