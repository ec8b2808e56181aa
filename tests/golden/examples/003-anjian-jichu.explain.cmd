$KAOHE explain examples/003-anjian-jichu/scheme.kh --events examples/003-anjian-jichu/events.csv --roster examples/003-anjian-jichu/roster.csv --person 渦陽縣安監局 2>/dev/null
