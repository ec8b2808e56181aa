# Makefile — builds kaohe, runs its tests and the demo (GNU make).
#
#   make            build build/kaohe (and build/libkaohe.a)
#   make deps       install missing build dependencies (Debian packages)
#   make test       deps + build + unit tests + golden tests
#   make golden-update   rewrite the golden outputs from the current binary
#   make demo       deps + build + run the demo
#   make clean      remove build/
#   V=1             show the full commands
#
# Sources are found by wildcard: every lang/*.c compiler/*.c runtime/*.c,
# plus lang/lexer.l (flex) and lang/parser.y (bison) when they exist.
# Everything but runtime/main.c goes into build/libkaohe.a.

B := build

ifeq ($(origin CC),default)
CC := gcc
endif

CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wshadow -Wswitch-enum -Werror -fPIC
# flex and bison output: the same flags, minus what their skeletons trip
# over (flex's unused yyunput/input, bison's switches with default:).
GEN_CFLAGS := $(CFLAGS) -Wno-unused-function -Wno-switch-enum
GCCJIT_INCLUDE := $(shell gcc -print-file-name=include)
CPPFLAGS := -Ilang -Icompiler -Iruntime -I$(B)/gen -I$(GCCJIT_INCLUDE)
# -rdynamic and the whole archive: JIT-compiled code finds the runtime
# helpers by name in the running binary.
LDLIBS := -lgccjit -ldl -lm
LDFLAGS := -rdynamic

DEPS_PKGS := flex bison libgccjit-12-dev libcriterion-dev pkg-config sqlite3

# The demo; one line so it is easy to change.
DEMO_CMD = $(B)/kaohe score examples/002-lianghua/scheme.kh --events examples/002-lianghua/events.csv --roster examples/002-lianghua/roster.csv --allow-errors

Q := $(if $(V),,@)
say = $(if $(V),,@printf '  %-6s %s\n' $(1) $(2))

# ------------------------------------------------------------ sources

SRCS := $(wildcard lang/*.c compiler/*.c runtime/*.c)
LEX_SRC := $(wildcard lang/lexer.l)
YACC_SRC := $(wildcard lang/parser.y)
GEN_C := $(if $(LEX_SRC),$(B)/gen/lexer.c) $(if $(YACC_SRC),$(B)/gen/parser.c)
GEN_H := $(if $(LEX_SRC),$(B)/gen/lexer.h) $(if $(YACC_SRC),$(B)/gen/parser.h)

OBJS := $(SRCS:%.c=$(B)/obj/%.o)
GEN_OBJS := $(GEN_C:$(B)/gen/%.c=$(B)/obj/gen/%.o)
MAIN_OBJ := $(B)/obj/runtime/main.o
LIB_OBJS := $(filter-out $(MAIN_OBJ),$(OBJS)) $(GEN_OBJS)
KAOHE := $(if $(filter $(MAIN_OBJ),$(OBJS)),$(B)/kaohe)

TEST_SRCS := $(wildcard tests/test_*.c)
TEST_OBJS := $(TEST_SRCS:%.c=$(B)/obj/%.o)
UNIT := $(B)/tests/unit

.DEFAULT_GOAL := all
.PHONY: all deps test golden-update demo clean FORCE

all: $(B)/libkaohe.a $(KAOHE)

# ------------------------------------------------------------ generated

$(B)/gen/lexer.c $(B)/gen/lexer.h &: lang/lexer.l
	$(call say,FLEX,$<)
	$(Q)mkdir -p $(@D)
	$(Q)flex --header-file=$(B)/gen/lexer.h -o $(B)/gen/lexer.c $<

$(B)/gen/parser.c $(B)/gen/parser.h &: lang/parser.y
	$(call say,BISON,$<)
	$(Q)mkdir -p $(@D)
	$(Q)bison -Wall -Werror --defines=$(B)/gen/parser.h -o $(B)/gen/parser.c $<

# ------------------------------------------------------------ objects

# Generated headers exist before anything that may include them compiles;
# after the first build the -MMD files track them exactly.
$(OBJS) $(GEN_OBJS) $(TEST_OBJS): | $(GEN_H)

$(B)/obj/gen/%.o: $(B)/gen/%.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(GEN_CFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/%.o: %.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# A list file that changes when the set of objects does, so that removing
# a source also rebuilds the archive.
$(B)/%.objs: FORCE
	@mkdir -p $(@D)
	@echo '$(OBJLIST_$*)' | cmp -s - $@ || echo '$(OBJLIST_$*)' > $@

OBJLIST_libkaohe := $(LIB_OBJS)
OBJLIST_unit := $(TEST_OBJS)

$(B)/libkaohe.a: $(LIB_OBJS) $(B)/libkaohe.objs
	$(call say,AR,$@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $(LIB_OBJS)

$(B)/kaohe: $(MAIN_OBJ) $(B)/libkaohe.a
	$(call say,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) \
		-Wl,--whole-archive $(B)/libkaohe.a -Wl,--no-whole-archive $(LDLIBS)

$(UNIT): $(TEST_OBJS) $(B)/libkaohe.a $(B)/unit.objs
	$(call say,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(TEST_OBJS) $(B)/libkaohe.a -lcriterion $(LDLIBS)

-include $(OBJS:.o=.d) $(GEN_OBJS:.o=.d) $(TEST_OBJS:.o=.d)

# ------------------------------------------------------------ commands

deps:
	@missing=; \
	for p in $(DEPS_PKGS); do \
		dpkg -s $$p 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		echo "installing:$$missing"; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

test: deps
	$(Q)$(MAKE) --no-print-directory all $(UNIT)
	$(Q)$(UNIT) --jobs 2
	$(Q)if [ -f tests/golden.sh ]; then KAOHE=$(CURDIR)/$(B)/kaohe bash tests/golden.sh; fi
	$(Q)$(if $(strip $(TEST_EXTRA)),$(MAKE) --no-print-directory $(TEST_EXTRA))

golden-update: all
	$(Q)UPDATE=1 KAOHE=$(CURDIR)/$(B)/kaohe bash tests/golden.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(DEMO_CMD)

clean:
	rm -rf $(B)

# ------------------------------------------------------------ more targets

# Benchmarks, fuzzing, sanitizers and the differential run each keep their
# rules in a file of their own under mk/; a file may add targets that
# `make test` runs to TEST_EXTRA.
TEST_EXTRA :=
-include $(wildcard mk/*.mk)
