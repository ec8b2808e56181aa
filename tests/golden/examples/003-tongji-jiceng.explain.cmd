$KAOHE explain examples/003-tongji-jiceng/scheme.kh --events examples/003-tongji-jiceng/events.csv --roster examples/003-tongji-jiceng/roster.csv --person 銅山區統計局 2>/dev/null
