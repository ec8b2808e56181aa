# robust.mk — bad input never crashes kaohe: fuzzing, sanitizers and
# allocation-failure injection.
#
#   make fuzz T=<target> SECONDS=<n>
#                   run one libFuzzer target (clang, ASan + UBSan) for n
#                   seconds; targets: the tests/fuzz/fuzz_*.c files
#                   (parse csv lint jit score).  New crashes land in
#                   build/fuzz/crashes/<target>/; keep each one, once fixed,
#                   in tests/fuzz/regress/<target>/.
#   make fuzz-deps  install clang and libFuzzer (make test does not need them)
#   make fuzz-regress
#                   replay the seed corpora and every kept crash through
#                   every target, built with the project's compiler (part of
#                   make test)
#   make asan       the whole test suite (unit, golden, replay) built with
#                   AddressSanitizer + UndefinedBehaviorSanitizer
#   make oom        fail the Nth allocation, N = 1, 2, …, through check,
#                   lint, score and explain of every example

FUZZ_DIR := tests/fuzz
FUZZ_NAMES := $(patsubst $(FUZZ_DIR)/fuzz_%.c,%,$(wildcard $(FUZZ_DIR)/fuzz_*.c))
FUZZ_PKGS := clang libclang-rt-14-dev
FUZZ_CC := clang
FUZZ_B := $(B)/fuzz
T :=
SECONDS := 60
# A native compile takes a while; anything slower than this is a hang.
FUZZ_TIMEOUT := 30
# Seeds of a target: tests/fuzz/seeds/<target>, but lint starts from the
# parse seeds and ingest from the csv ones; the dictionary: csv.dict for
# the CSV readers, else kh.dict.
fuzz_seeds = $(FUZZ_DIR)/seeds/$(if $(filter lint,$(1)),parse,$(if $(filter ingest,$(1)),csv,$(1)))
fuzz_dict = $(FUZZ_DIR)/$(if $(filter csv ingest,$(1)),csv,kh).dict
fuzz_regress = $(wildcard $(FUZZ_DIR)/regress/$(1))
# CSV inputs may be long (wide rows, megabyte fields): let them grow.
fuzz_maxlen = $(if $(filter csv ingest,$(1)),-max_len=262144)

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# libgccjit keeps some of its memory until exit; that is not ours to free.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/$(FUZZ_DIR)/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Wshadow -Wswitch-enum -Werror \
	$(SAN_FLAGS) -fsanitize=fuzzer-no-link
FUZZ_GEN_CFLAGS := $(FUZZ_CFLAGS) -Wno-unused-function -Wno-switch-enum -Wno-unused-but-set-variable \
	-Wno-misleading-indentation
# libgccjit.h sits in gcc's own include directory, next to gcc's
# stdatomic.h and stddef.h, which clang must not see (gcc's atomics do not
# compile under clang): the build links the one header into a directory
# of its own.
FUZZ_JIT_H := $(FUZZ_B)/include/libgccjit.h
FUZZ_CPPFLAGS := -Ilang -Icompiler -Iruntime -I$(B)/gen -I$(FUZZ_DIR) -I$(FUZZ_B)/include
FUZZ_OBJS := $(patsubst %.c,$(FUZZ_B)/obj/%.o,$(filter-out runtime/main.c,$(SRCS))) \
	$(GEN_C:$(B)/gen/%.c=$(FUZZ_B)/obj/gen/%.o)

# The replay build: each target with driver.c, the project's compiler and
# flags, linked against libkaohe.a.
REPLAY_B := $(B)/replay
REPLAY_BINS := $(FUZZ_NAMES:%=$(REPLAY_B)/fuzz_%)

.PHONY: fuzz fuzz-deps fuzz-build fuzz-regress asan oom

fuzz-deps:
	$(Q)$(MAKE) --no-print-directory deps DEPS_PKGS='$(FUZZ_PKGS)'

fuzz: fuzz-deps
	$(Q)if [ -z '$(filter $(T),$(FUZZ_NAMES))' ] || [ -z '$(T)' ]; then \
		echo 'usage: make fuzz T=<$(subst $() ,|,$(FUZZ_NAMES))> SECONDS=<n>'; exit 2; fi
	$(Q)$(MAKE) --no-print-directory $(FUZZ_B)/fuzz_$(T)
	$(Q)mkdir -p $(FUZZ_B)/corpus/$(T) $(FUZZ_B)/crashes/$(T)
	$(SAN_ENV) $(FUZZ_B)/fuzz_$(T) -max_total_time=$(SECONDS) -timeout=$(FUZZ_TIMEOUT) \
		-rss_limit_mb=2048 -print_final_stats=1 $(call fuzz_maxlen,$(T)) \
		-dict=$(call fuzz_dict,$(T)) -artifact_prefix=$(FUZZ_B)/crashes/$(T)/ \
		$(FUZZ_B)/corpus/$(T) $(call fuzz_seeds,$(T)) $(call fuzz_regress,$(T))

fuzz-build: $(FUZZ_NAMES:%=$(FUZZ_B)/fuzz_%)

$(FUZZ_JIT_H):
	$(Q)mkdir -p $(@D)
	$(Q)ln -sf $(GCCJIT_INCLUDE)/libgccjit.h $@

$(FUZZ_OBJS) $(FUZZ_NAMES:%=$(FUZZ_B)/obj/$(FUZZ_DIR)/fuzz_%.o): | $(GEN_H) $(FUZZ_JIT_H)
.SECONDARY: $(FUZZ_NAMES:%=$(FUZZ_B)/obj/$(FUZZ_DIR)/fuzz_%.o)

$(FUZZ_B)/obj/gen/%.o: $(B)/gen/%.c
	$(call say,CLANG,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_GEN_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_B)/obj/%.o: %.c
	$(call say,CLANG,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_B)/fuzz_%: $(FUZZ_B)/obj/$(FUZZ_DIR)/fuzz_%.o $(FUZZ_OBJS)
	$(call say,LINK,$@)
	$(Q)$(FUZZ_CC) $(SAN_FLAGS) -fsanitize=fuzzer -rdynamic -o $@ $^ $(LDLIBS)

$(REPLAY_B)/%.o: $(FUZZ_DIR)/%.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -I$(FUZZ_DIR) $(CFLAGS) -MMD -MP -c $< -o $@

$(REPLAY_B)/fuzz_%: $(REPLAY_B)/fuzz_%.o $(REPLAY_B)/driver.o $(B)/libkaohe.a
	$(call say,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(REPLAY_B)/fuzz_$*.o $(REPLAY_B)/driver.o \
		-Wl,--whole-archive $(B)/libkaohe.a -Wl,--no-whole-archive $(LDLIBS)

$(FUZZ_NAMES:%=$(REPLAY_B)/fuzz_%.o) $(REPLAY_B)/driver.o: | $(GEN_H)

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_NAMES:%=$(FUZZ_B)/obj/$(FUZZ_DIR)/fuzz_%.d) \
	$(FUZZ_NAMES:%=$(REPLAY_B)/fuzz_%.d) $(REPLAY_B)/driver.d

fuzz-regress: $(REPLAY_BINS)
	$(Q)$(foreach t,$(FUZZ_NAMES),printf '  REPLAY %-6s' $(t) && \
		$(SAN_ENV) $(REPLAY_B)/fuzz_$(t) $(call fuzz_seeds,$(t)) $(call fuzz_regress,$(t)) &&) true

TEST_EXTRA += fuzz-regress

# ------------------------------------------------------------ sanitizers

ASAN_B := $(B)/asan

asan:
	$(Q)$(SAN_ENV) $(MAKE) --no-print-directory B=$(ASAN_B) \
		CFLAGS='$(CFLAGS) -O1 $(SAN_FLAGS)' LDFLAGS='$(LDFLAGS) $(SAN_FLAGS)' test

# ------------------------------------------------- allocation failures

oom: all $(UNIT)
	$(Q)KH_OOM_ALL=1 $(SAN_ENV) $(UNIT) --filter 'oom/*'
