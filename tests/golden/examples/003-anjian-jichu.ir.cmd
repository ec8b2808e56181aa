$KAOHE ir examples/003-anjian-jichu/scheme.kh
