#!/usr/bin/env bash
# run.sh — the benchmark behind `make bench` (see BENCHMARKS.md).
#
# For the 002 example scheme it generates a year of events (10M events over
# 100k persons, 10M over 1M persons, and 1M over 100k for the slope), then
# measures, each the median of several runs:
#   - CSV → scores: `kaohe score` on the CSV export, wall time, MB/s, peak memory;
#   - ingest: the CSV into a .kev cache;
#   - re-score from the .kev: wall time and the engine's own time (events/s),
#     JIT and interpreter, one thread and all;
#   - the same computation in SQLite (bench/002-score.sql): import, then the
#     query; its result is compared with kaohe's first, and its times are
#     reported only when they are equal;
#   - compiling a 100-item scheme, cold and from the cache;
#   - growth: 10× the events over the same 100k persons (100M by default),
#     CSV → scores, ingest and re-score once each, against the 10M figures.
# Results go to build/bench/results.md and stdout.  Nothing here fails the
# test suite: a mismatch is reported as such.
#
#   BENCH_RUNS=5     runs per measurement (3 for the slow ones)
#   BENCH_EVENTS=…   events of the large logs (default 10000000)
#   BENCH_GROWTH=1   add the 10× growth run (~12 GB of disk).  Off by
#                    default: 100M events make a 5.6 GB CSV, and kaohe
#                    refuses event files over 1 GB (R008) until a log can
#                    come in several files.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
K=$PWD/build/kaohe
M=$PWD/build/bench/measure
D=$PWD/build/bench
S=$PWD/examples/002-lianghua/scheme.kh
RUNS=${BENCH_RUNS:-5}
SLOW=$(( RUNS < 3 ? RUNS : 3 ))
EVENTS=${BENCH_EVENTS:-10000000}
OUT=$D/results.md
mkdir -p "$D"
export XDG_CACHE_HOME=$D/cache     # the JIT's cache, kept apart from the user's

say() { printf '%s\n' "$*" | tee -a "$OUT"; }
median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
size_of() { stat -c %s "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# a field of a --stats line: 读入, 编译, 计分 (ms)
stat_ms() { sed -n "s/.*$2 \\([0-9.]*\\) ms.*/\\1/p" "$1" | head -1; }

: >"$OUT"
say "# kaohe benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
say ""
say "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB RAM, Linux $(uname -r)"
say "- gcc: $(gcc -dumpfullversion), sqlite3: $(sqlite3 --version | cut -d' ' -f1), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "- medians of $RUNS runs ($SLOW for CSV and SQLite runs); times in ms; memory is peak RSS"
say ""

# ---------------------------------------------------------------- data

gen() {   # gen NAME PERSONS EVENTS SEED
    local n=$1
    if [ ! -s "$D/$n.csv" ] || [ ! -s "$D/$n-roster.csv" ]; then
        "$K" gen "$S" --persons "$2" --events "$3" --seed "$4" -o "$D/$n.csv" --roster-out "$D/$n-roster.csv" || return 1
    fi
}

# ----------------------------------------------------------- one dataset

# run_kaohe RUNS LABEL ARGS… : medians of wall, engine and read ms; max RSS
# into W ENG READ RSS
run_kaohe() {
    local runs=$1 label=$2
    shift 2
    local walls=() engs=() reads=() rss=0 r line
    for ((r = 0; r < runs; r++)); do
        line=$("$M" 1 -o "$D/$label.out" -e "$D/$label.err" -- "$K" score "$S" --allow-errors --stats "$@") || {
            echo "kaohe failed ($label):"; cat "$D/$label.err"; return 1; }
        walls+=("${line% *}")
        [ "${line#* }" -gt "$rss" ] && rss=${line#* }
        engs+=("$(stat_ms "$D/$label.err" 计分)")
        reads+=("$(stat_ms "$D/$label.err" 读入)")
    done
    W=$(printf '%s\n' "${walls[@]}" | median)
    ENG=$(printf '%s\n' "${engs[@]}" | median)
    READ=$(printf '%s\n' "${reads[@]}" | median)
    RSS=$rss
}

dataset() {   # dataset NAME PERSONS EVENTS SEED
    local n=$1 persons=$2 events=$3
    gen "$@" || { say "(could not generate $n)"; return 1; }
    local csv=$D/$n.csv ro=$D/$n-roster.csv kev=$D/$n.kev
    local csv_mb; csv_mb=$(awk -v b="$(size_of "$csv")" 'BEGIN {printf "%.1f", b / 1e6}')
    say "## $n: $events events, $persons persons (CSV $csv_mb MB)"
    say ""
    say "| measurement | wall ms | engine ms | rate | peak MB | memory ratio |"
    say "|---|---:|---:|---:|---:|---:|"
    local t
    for t in 2 1; do
        run_kaohe "$SLOW" "$n-csv-$t" --events "$csv" --roster "$ro" --format csv -o "$D/$n.kaohe.csv" --threads "$t" || return 1
        say "| CSV → scores, $t thread(s) | $W | $ENG | $(awk -v b="$(size_of "$csv")" -v w="$W" 'BEGIN {printf "%.0f MB/s", b / 1e6 / (w / 1e3)}') | $((RSS / 1024)) | $(ratio "$((RSS * 1024))" "$(size_of "$csv")") × CSV |"
        eval "CSV_W_$t=$W"
    done
    local line
    line=$("$M" 1 -e "$D/$n-ingest.err" -- "$K" ingest "$csv" --roster "$ro" -o "$kev") || { cat "$D/$n-ingest.err"; return 1; }
    local kev_mb; kev_mb=$(awk -v b="$(size_of "$kev")" 'BEGIN {printf "%.1f", b / 1e6}')
    INGEST_W=${line% *}
    say "| ingest → .kev ($kev_mb MB) | ${line% *} | | $(awk -v b="$(size_of "$csv")" -v w="${line% *}" 'BEGIN {printf "%.0f MB/s", b / 1e6 / (w / 1e3)}') | $((${line#* } / 1024)) | |"
    local eng th
    for eng in jit interp; do
        for th in 1 2; do
            run_kaohe "$RUNS" "$n-kev-$eng-$th" --events "$kev" --roster "$ro" --format csv -o "$D/$n.kev.csv" --engine "$eng" --threads "$th" || return 1
            cmp -s "$D/$n.kev.csv" "$D/$n.kaohe.csv" || say "| **MISMATCH: .kev scores differ from CSV scores ($eng)** | | | | | |"
            say "| re-score .kev, $eng, $th thread(s) | $W | $ENG | $(awk -v e="$events" -v w="$ENG" 'BEGIN {printf "%.1fM events/s", e / 1e6 / (w / 1e3)}') | $((RSS / 1024)) | $(ratio "$((RSS * 1024))" "$(size_of "$kev")") × .kev |"
            eval "ENG_${eng}_$th=$ENG; WALL_${eng}_$th=$W"
        done
    done
    say ""
    say "JIT ÷ interpreter on re-score (engine time, 1 thread): $(ratio "$ENG_interp_1" "$ENG_jit_1")×; wall: $(ratio "$WALL_interp_1" "$WALL_jit_1")×."
    say "Per core: $(awk -v e="$events" -v w="$ENG_jit_1" 'BEGIN {printf "%.0fM", e / 1e6 / (w / 1e3)}') events/s (engine, JIT, 1 thread); two threads: $(ratio "$ENG_jit_1" "$ENG_jit_2")× one."
    eval "CSV_${n//-/_}=$CSV_W_2; ENG_${n//-/_}=$ENG_jit_1; KEVW_${n//-/_}=$WALL_jit_2"
    eval "ENGT_${n//-/_}_1=$ENG_jit_1; ENGT_${n//-/_}_2=$ENG_jit_2; INGEST_${n//-/_}=${INGEST_W:-0}"
    sqlite_vs "$n" "$csv" "$ro"
    say ""
}

# ------------------------------------------------------------- SQLite

sqlite_vs() {   # sqlite_vs NAME CSV ROSTER
    local n=$1 csv=$2 ro=$3 db=$D/$1.db line
    rm -f "$db"
    line=$("$M" 1 -e "$D/$n-sqlite.err" -- sqlite3 "$db" ".import --csv $csv events" ".import --csv $ro roster") ||
        { say "(sqlite3 import failed: $(head -3 "$D/$n-sqlite.err"))"; return 1; }
    local imp=${line% *} imp_rss=${line#* }
    "$M" 1 -o "$D/$n.sql.csv" -- sqlite3 "$db" ".read $PWD/bench/002-score.sql" >/dev/null ||
        { say "(the SQLite query failed)"; return 1; }
    awk -f bench/kaohe2sql.awk "$D/$n.kaohe.csv" >"$D/$n.kaohe.rows"
    if ! cmp -s "$D/$n.kaohe.rows" "$D/$n.sql.csv"; then
        say "**SQLite's result differs from kaohe's; its times are not reported.** ($(diff "$D/$n.kaohe.rows" "$D/$n.sql.csv" | head -2 | tr '\n' ' '))"
        return 1
    fi
    line=$("$M" "$SLOW" -o "$D/$n.sql.csv" -- sqlite3 "$db" ".read $PWD/bench/002-score.sql") || return 1
    local q=${line% *} q_rss=${line#* }
    say ""
    say "SQLite (results checked equal to kaohe's: sections, bonus, total and rank of all $(wc -l <"$D/$n.sql.csv") persons):"
    say ""
    say "| SQLite | ms | peak MB | kaohe ms | kaohe faster by |"
    say "|---|---:|---:|---:|---:|"
    local first=$(awk -v a="$imp" -v b="$q" 'BEGIN {print a + b}')
    say "| CSV → scores (import + query) | $first | $(( (imp_rss > q_rss ? imp_rss : q_rss) / 1024 )) | $CSV_W_2 | $(ratio "$first" "$CSV_W_2")× |"
    say "| re-score (query on the loaded table) | $q | $((q_rss / 1024)) | $WALL_jit_2 | $(ratio "$q" "$WALL_jit_2")× |"
    rm -f "$db"
}

# -------------------------------------------------------------- compile

compile_times() {
    bash bench/gen-scheme.sh 100 >"$D/s100.kh"
    local colds=() warms=() r
    for ((r = 0; r < RUNS; r++)); do
        "$K" compile "$D/s100.kh" -o "$D/s100.so" --stats 2>"$D/compile.err" >/dev/null || { cat "$D/compile.err"; return 1; }
        colds+=("$(sed -n 's/.*编译（冷）：\([0-9.]*\) ms.*/\1/p' "$D/compile.err")")
        warms+=("$(sed -n 's/.*从缓存载入：\([0-9.]*\) ms.*/\1/p' "$D/compile.err")")
    done
    say "## Compiling a 100-item scheme ($(grep -c '：' "$D/s100.kh") lines, $("$K" ir "$D/s100.kh" | grep -c '^%') IR instructions)"
    say ""
    say "cold: $(printf '%s\n' "${colds[@]}" | median) ms; from the cache: $(printf '%s\n' "${warms[@]}" | median) ms."
    say ""
}


# -------------------------------------------------------------- growth

# growth: ten times the events of year-100k over the same persons, each
# measured once (a run takes tens of seconds), set against year-100k.
growth() {
    local n=year-100k-x10 events=$((EVENTS * 10))
    gen "$n" 100000 "$events" 3 || { say "(could not generate $n)"; return 1; }
    local csv=$D/$n.csv ro=$D/$n-roster.csv kev=$D/$n.kev line
    say "## Growth: $events events over 100000 persons (CSV $(awk -v b="$(size_of "$csv")" 'BEGIN {printf "%.1f", b / 1e6}') MB)"
    say ""
    say "| measurement | wall ms | engine ms | × the 10× smaller log | peak MB | memory ratio |"
    say "|---|---:|---:|---:|---:|---:|"
    run_kaohe 1 "$n-csv-2" --events "$csv" --roster "$ro" --format csv -o "$D/$n.kaohe.csv" --threads 2 || return 1
    say "| CSV → scores, 2 threads | $W | $ENG | $(ratio "$W" "${CSV_year_100k:-0}") | $((RSS / 1024)) | $(ratio "$((RSS * 1024))" "$(size_of "$csv")") × CSV |"
    line=$("$M" 1 -e "$D/$n-ingest.err" -- "$K" ingest "$csv" --roster "$ro" -o "$kev") || { cat "$D/$n-ingest.err"; return 1; }
    say "| ingest → .kev | ${line% *} | | $(ratio "${line% *}" "${INGEST_year_100k:-0}") | $((${line#* } / 1024)) | |"
    local th
    for th in 1 2; do
        run_kaohe 1 "$n-kev-$th" --events "$kev" --roster "$ro" --format csv -o "$D/$n.kev.csv" --threads "$th" || return 1
        cmp -s "$D/$n.kev.csv" "$D/$n.kaohe.csv" || say "| **MISMATCH: .kev scores differ from CSV scores** | | | | | |"
        local base; eval "base=\${ENGT_year_100k_$th:-0}"
        say "| re-score .kev, jit, $th thread(s) | $W | $ENG | $(ratio "$ENG" "$base") (engine) | $((RSS / 1024)) | $(ratio "$((RSS * 1024))" "$(size_of "$kev")") × .kev |"
    done
    say ""
    rm -f "$kev"     # 5 GB; the CSV is kept for the next run
}

# ----------------------------------------------------------------- main

[ -x "$K" ] && [ -x "$M" ] || { echo "build first: make all build/bench/measure"; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (make deps)"; exit 2; }

compile_times
dataset slope-1m 100000 $((EVENTS / 10)) 1
dataset year-100k 100000 "$EVENTS" 1
dataset year-1m 1000000 "$EVENTS" 2

say "## Growth with events"
say ""
say "From $((EVENTS / 10)) to $EVENTS events over 100k persons: CSV → scores took $(ratio "${CSV_year_100k:-0}" "${CSV_slope_1m:-0}")× as long; the engine $(ratio "${ENG_year_100k:-0}" "${ENG_slope_1m:-0}")× (linear: 10×)."
say ""
[ "${BENCH_GROWTH:-0}" = 1 ] && growth
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
