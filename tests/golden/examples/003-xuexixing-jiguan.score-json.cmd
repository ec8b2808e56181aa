$KAOHE score examples/003-xuexixing-jiguan/scheme.kh --events examples/003-xuexixing-jiguan/events.csv --roster examples/003-xuexixing-jiguan/roster.csv --format json 2>/dev/null
