$KAOHE score examples/002-lianghua/scheme.kh --events examples/002-lianghua/events.csv --roster examples/002-lianghua/roster.csv --allow-errors
