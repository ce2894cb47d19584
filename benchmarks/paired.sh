#!/usr/bin/env bash
# Paired JMH rounds of routing benchmarks within one build:
#   benchmarks/paired.sh <name> <baseline> <variant> [<baseline> <variant> ...] [-- rounds]
# Each round runs every baseline/variant pair back to back (one fork each), the order of a
# pair alternating from round to round, so a host that drifts over minutes moves both
# sides of a ratio alike. Writes docs/benchmarks/<name>-paired.csv (one row per round and
# pair) and prints the median and range of variant/baseline per pair.
set -euo pipefail
cd "$(dirname "$0")/.."
# benchmarks/paired.sh --summary <csv>: the medians of a finished run again.
summary() { # $1: csv
  awk -F, 'NR > 1 { print $2 "," $3 }' "$1" | sort -u | while IFS=, read -r a b; do
    awk -F, -v a="$a" -v b="$b" '$2 == a && $3 == b { print $6, $5 - $4 }' "$1" | sort -g | awk -v a="$a" -v b="$b" '
      { r[NR] = $1; d[NR] = $2 }
      END { m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2;
            n = asorted(d, NR); md = (NR % 2) ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2;
            printf "%s vs %s: median %.3fx (%+.1f ns), range %.3f-%.3fx over %d rounds\n", b, a, m, md, r[1], r[NR], NR }
      function asorted(x, k,   i, j, t) { for (i = 2; i <= k; i++) { t = x[i]; for (j = i - 1; j > 0 && x[j] > t; j--) x[j + 1] = x[j]; x[j + 1] = t } return k }'
  done
}
if [ "${1:-}" = "--summary" ]; then summary "${2:?csv}"; exit 0; fi
name=${1:?usage: benchmarks/paired.sh <name> <baseline> <variant> ... [-- rounds]}; shift
pairs=(); rounds=5
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then rounds=$2; break; fi
  pairs+=("$1"); shift
done
work=$(mktemp -d /tmp/pool-paired-XXXXXX)
trap 'rm -rf "$work"' EXIT
./mvnw -B -q package -DskipTests -Dspring-javaformat.skip=true -Dmaven.javadoc.skip -Dmaven.source.skip -pl benchmarks -am \
  dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="benchmarks/target/classes:$(cat "$work/cp.txt")"
score() { # $1: benchmark -> ns/op
  java -cp "$cp" org.openjdk.jmh.Main "dev.pool.benchmarks.RoutingBenchmark.$1\$" -f 1 -rf csv -rff "$work/r.csv" \
    >/dev/null 2>&1
  awk -F, 'NR == 2 { gsub(/"/, "", $5); print $5 }' "$work/r.csv"
}
out=docs/benchmarks/$name-paired.csv
echo "round,baseline,variant,baseline_ns,variant_ns,variant_over_baseline" > "$out"
for round in $(seq 1 "$rounds"); do
  for ((i = 0; i < ${#pairs[@]}; i += 2)); do
    a=${pairs[i]}; b=${pairs[i+1]}
    if [ $((round % 2)) -eq 1 ]; then x=$(score "$a"); y=$(score "$b"); else y=$(score "$b"); x=$(score "$a"); fi
    echo "$round,$a,$b,$x,$y,$(awk -v x="$x" -v y="$y" 'BEGIN { printf "%.4f", y / x }')" | tee -a "$out"
  done
done
summary "$out"
