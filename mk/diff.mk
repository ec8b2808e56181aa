# diff.mk — the differential test of the two engines (tests/diff/).
#
#   make fuzz-diff [N=100000] [SEED=1] [PER=100]
#       N random pairs (scheme, event log + roster), each scored by the
#       interpreter and by the JIT through the whole pipeline and compared
#       byte for byte; one scheme per PER event logs.  Prints progress and
#       `N passed, M failed`; disagreements are saved, minimised, under
#       build/diff-fail/.
#
# The generator and the pair runner are also linked into the unit-test
# binary, where tests/test_diff.c runs a few hundred pairs on every
# `make test`.

DIFF_LIB_SRCS := tests/diff/gen.c tests/diff/run.c
DIFF_LIB_OBJS := $(DIFF_LIB_SRCS:%.c=$(B)/obj/%.o)
DIFF_MAIN_OBJ := $(B)/obj/tests/diff/main.o
DIFF_OBJS := $(DIFF_LIB_OBJS) $(DIFF_MAIN_OBJ)
FUZZ_DIFF := $(B)/tests/fuzz-diff

N ?= 1000
SEED ?= 1
PER ?= 100

# The unit binary links TEST_OBJS when its recipe runs, so appending here
# is enough; the prerequisite makes it relink when they change.
TEST_OBJS += $(DIFF_LIB_OBJS)
$(UNIT): $(DIFF_LIB_OBJS)

$(DIFF_OBJS): | $(GEN_H)

$(FUZZ_DIFF): $(DIFF_OBJS) $(B)/libkaohe.a
	$(call say,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(DIFF_OBJS) \
		-Wl,--whole-archive $(B)/libkaohe.a -Wl,--no-whole-archive $(LDLIBS)

.PHONY: fuzz-diff
fuzz-diff: $(FUZZ_DIFF)
	$(Q)$(FUZZ_DIFF) -n $(N) -s $(SEED) --per $(PER)

-include $(DIFF_OBJS:.o=.d)
