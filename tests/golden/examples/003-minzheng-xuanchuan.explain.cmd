$KAOHE explain examples/003-minzheng-xuanchuan/scheme.kh --events examples/003-minzheng-xuanchuan/events.csv --roster examples/003-minzheng-xuanchuan/roster.csv --person 社救局 2>/dev/null
