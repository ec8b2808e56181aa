# bench.mk — `make bench`: the performance of CSV → scores, of re-scoring
# from a .kev cache, of the JIT against the interpreter and of compiling,
# side by side with the same computation in SQLite (bench/run.sh,
# BENCHMARKS.md).  It takes minutes and several GB under build/bench/;
# it reports, it does not fail: `make test` does not run it.

.PHONY: bench
BENCH_TOOL := $(B)/bench/measure

$(BENCH_TOOL): bench/measure.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_TOOL)
	$(Q)bash bench/run.sh
