#!/usr/bin/env bash
# golden.sh — compares what kaohe prints with recorded output.
#
# Every file tests/golden/<group>/<name>.cmd holds a one-line shell command
# that uses $KAOHE for the binary, for example
#     $KAOHE check examples/002/scheme.kh
# It runs from the repository root with stdin from /dev/null.  Its stdout
# and stderr together, followed by a last line `exit: N` (its exit status),
# must equal the sibling file tests/golden/<group>/<name>.out; on a mismatch
# the difference is printed.
#
#   UPDATE=1 tests/golden.sh    rewrite the .out files from the current output
#   KAOHE=/path/to/kaohe        the binary to test (default: build/kaohe)
#
# The last line is `N passed, M failed`; the exit status is non-zero when
# M > 0.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
KAOHE=${KAOHE:-$PWD/build/kaohe}
export KAOHE
UPDATE=${UPDATE:-0}

tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT

passed=0
failed=0
shopt -s nullglob
for cmd in tests/golden/*/*.cmd; do
    out=${cmd%.cmd}.out
    status=0
    bash -c "$(<"$cmd")" >"$tmp" 2>&1 </dev/null || status=$?
    echo "exit: $status" >>"$tmp"
    if [ "$UPDATE" = 1 ]; then
        if ! cmp -s "$tmp" "$out"; then
            cp "$tmp" "$out"
            echo "updated $out"
        fi
        passed=$((passed + 1))
    elif [ -f "$out" ] && cmp -s "$tmp" "$out"; then
        passed=$((passed + 1))
    else
        echo "FAIL $cmd"
        if [ -f "$out" ]; then
            diff -u --label "$out" --label actual "$out" "$tmp"
        else
            echo "  (no $out; run with UPDATE=1 to record it)"
            sed 's/^/  | /' "$tmp"
        fi
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
