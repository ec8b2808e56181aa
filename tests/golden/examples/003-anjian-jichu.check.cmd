$KAOHE check examples/003-anjian-jichu/scheme.kh
