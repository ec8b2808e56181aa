$KAOHE score examples/003-minzheng-xuanchuan/scheme.kh --events examples/003-minzheng-xuanchuan/events.csv --roster examples/003-minzheng-xuanchuan/roster.csv --format json 2>/dev/null
