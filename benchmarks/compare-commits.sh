#!/usr/bin/env bash
# Paired JMH rounds of the routing benchmark between an earlier commit and the working tree:
#   benchmarks/compare-commits.sh <commit> [rounds] [benchmarks]
# Builds <commit> in a temporary git worktree, then in each round runs the same benchmarks
# (one fork each) on both builds back to back, in an order that alternates from round to
# round, so a host that drifts over minutes moves both sides of a ratio alike. Writes
# docs/benchmarks/routing-vs-<commit>.csv (one row per round and benchmark) and prints the
# median and range of new/old per benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: benchmarks/compare-commits.sh <commit> [rounds] [benchmarks]}
rounds=${2:-8}
benchmarks=${3:-rawHikari starterWrite starterRead}
short=$(git rev-parse --short "$base")
work=$(mktemp -d /tmp/pool-compare-XXXXXX)
trap 'git worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git worktree add -q --detach "$work/tree" "$base"
classpath() { # $1: source tree
  (cd "$1" && "$OLDPWD/mvnw" -B -q package -DskipTests -Dspring-javaformat.skip=true -pl benchmarks -am \
    dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/cp.txt" >/dev/null)
  echo "$1/benchmarks/target/classes:$(cat "$work/cp.txt")"
}
old_cp=$(classpath "$work/tree")
new_cp=$(classpath "$PWD")

score() { # $1: classpath, $2: benchmark -> ns/op
  java -cp "$1" org.openjdk.jmh.Main "dev.pool.benchmarks.RoutingBenchmark.$2\$" -f 1 -rf csv -rff "$work/r.csv" \
    >/dev/null 2>&1
  awk -F, 'NR == 2 { gsub(/"/, "", $5); print $5 }' "$work/r.csv"
}

out=docs/benchmarks/routing-vs-$short.csv
echo "round,benchmark,old_ns,new_ns,new_over_old" > "$out"
for round in $(seq 1 "$rounds"); do
  for benchmark in $benchmarks; do
    if [ $((round % 2)) -eq 1 ]; then
      old=$(score "$old_cp" "$benchmark"); new=$(score "$new_cp" "$benchmark")
    else
      new=$(score "$new_cp" "$benchmark"); old=$(score "$old_cp" "$benchmark")
    fi
    ratio=$(awk -v n="$new" -v o="$old" 'BEGIN { printf "%.4f", n / o }')
    echo "$round,$benchmark,$old,$new,$ratio" | tee -a "$out"
  done
done
echo "new / old ($short), median [min - max] over $rounds paired rounds:"
for benchmark in $benchmarks; do
  grep ",$benchmark," "$out" | cut -d, -f5 | sort -n | awk -v b="$benchmark" \
    '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
       printf "%-14s %.3fx [%.3f - %.3f]\n", b, m, v[1], v[NR] }'
done
