$KAOHE lint examples/003-anjian-jichu/scheme.kh
