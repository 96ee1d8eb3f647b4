#!/bin/bash
# Compares sangtao binaries by alternating full builds of one corpus (the machine's speed drifts
# over minutes, so runs of the binaries are interleaved), printing the median wall time, CPU
# time (user + system) and peak memory of each.
#
#   scripts/ab.sh N BINARY... (CORPUS=target/bench/corpus-10000/portal by default)
#
# With AB_RECORD=FILE it also appends every build to FILE, a line each: round, binary, wall
# time, CPU time (user + system), tab-separated; for comparing binaries round by round
# (scripts/index-cost.sh).
#
# Outputs go to target/ab/ and are kept (deleting them while measuring slows the builds).
set -u
N=$1; shift
here="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS=${CORPUS:-$here/target/bench/corpus-10000/portal}
work="$here/target/ab"
# shellcheck source=prepare.sh
. "$here/scripts/prepare.sh"
mkdir -p "$work"
declare -A W C U S M
k=0
for round in $(seq "$N"); do
  for b in "$@"; do
    k=$((k+1))
    # The same state before every build, as in bench.sh.
    prepare "$CORPUS" "$b"
    /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$b" build --root "$CORPUS" --output "$work/out-$$-$k" >/dev/null 2>&1
    r=$(tail -1 "$work/time")
    W[$b]="${W[$b]:-} $(echo "$r" | awk '{print $1}')"
    C[$b]="${C[$b]:-} $(echo "$r" | awk '{print $2+$3}')"
    U[$b]="${U[$b]:-} $(echo "$r" | awk '{print $2}')"
    S[$b]="${S[$b]:-} $(echo "$r" | awk '{print $3}')"
    M[$b]="${M[$b]:-} $(echo "$r" | awk '{print int($4/1024)}')"
    if [ -n "${AB_RECORD:-}" ]; then
      echo "$r" | awk -v round="$round" -v b="$b" '{print round "\t" b "\t" $1 "\t" $2 + $3}' >>"$AB_RECORD"
    fi
  done
done
med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
for b in "$@"; do
  echo "$b wall:$(echo ${W[$b]} | med)s cpu:$(echo ${C[$b]} | med)s (user $(echo ${U[$b]} | med)s, system $(echo ${S[$b]} | med)s) mem:$(echo ${M[$b]} | med)MB  runs:${W[$b]}  cpu runs:${C[$b]}"
done
echo "(outputs in $work; remove them when done)"
