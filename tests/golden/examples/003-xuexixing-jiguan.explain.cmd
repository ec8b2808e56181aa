$KAOHE explain examples/003-xuexixing-jiguan/scheme.kh --events examples/003-xuexixing-jiguan/events.csv --roster examples/003-xuexixing-jiguan/roster.csv --person 局辦公室 2>/dev/null
