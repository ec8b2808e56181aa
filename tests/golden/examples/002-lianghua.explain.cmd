$KAOHE explain examples/002-lianghua/scheme.kh --events examples/002-lianghua/events.csv --roster examples/002-lianghua/roster.csv --allow-errors --person 王建国 2>/dev/null
