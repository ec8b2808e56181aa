#!/usr/bin/env bash
# gen-scheme.sh N — a scheme with N items in five sections, for the
# compile-time benchmark (`make bench`).  Items cycle through per-event
# deductions, targets, evaluator scores and award tiers, so the IR has the
# usual mix of sums, comparisons, means and tier tables.
set -euo pipefail
n=${1:-100}
cat <<HEAD
考核方案：${n}项基准方案
考核对象：个人
满分：100分
分数上限不含本数

HEAD
sections=(一 二 三 四 五)
per=$(( (n + 4) / 5 ))
k=0
for s in 0 1 2 3 4; do
    echo "${sections[$s]}、第$((s + 1))部分（基本分20分）"
    for ((j = 1; j <= per && k < n; j++)); do
        k=$((k + 1))
        case $((k % 4)) in
        0) echo "  $j. 事项${k}：每次扣$(( k % 3 + 1 ))分" ;;
        1) echo "  $j. 事项${k}：应达$(( k % 5 + 2 ))篇，每少1篇扣1分" ;;
        2) echo "  $j. 事项${k}：评分，满分5分" ;;
        3) echo "  $j. 事项${k}：国家级奖10分、省级奖8分、市级奖5分；同项内容按最高级别加分一次，不重复加分" ;;
        esac
    done
done
cat <<'TAIL'

等次：
  优秀：90分以上
  称职：60-90分
  不称职：60分以下
TAIL
