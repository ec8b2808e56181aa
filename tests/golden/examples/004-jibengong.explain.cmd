$KAOHE explain examples/004-jibengong/scheme.kh --events examples/004-jibengong/events.csv --roster examples/004-jibengong/roster.csv --person 平山区 2>/dev/null
