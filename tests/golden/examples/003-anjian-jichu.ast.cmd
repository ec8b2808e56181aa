$KAOHE ast examples/003-anjian-jichu/scheme.kh
