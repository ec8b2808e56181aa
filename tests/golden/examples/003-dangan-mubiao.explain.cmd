$KAOHE explain examples/003-dangan-mubiao/scheme.kh --events examples/003-dangan-mubiao/events.csv --roster examples/003-dangan-mubiao/roster.csv --person 武漢市民政局機關 2>/dev/null
