$KAOHE score examples/004-jibengong/scheme.kh --events examples/004-jibengong/events.csv --roster examples/004-jibengong/roster.csv --format json 2>/dev/null
