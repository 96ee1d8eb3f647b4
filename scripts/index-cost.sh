#!/bin/bash
# What the search index costs a full build (issue 4's budget: at most 10 % of the build),
# measured as what the build saves without it rather than by summing timers: the committed
# code (HEAD) with scripts/index-cost.patch applied, which adds two switches read from the
# environment, built once and run three ways by alternating builds (scripts/ab.sh):
#
#   full        the normal build;
#   no files    it tokenises every body but makes and writes none of the index's files;
#   no index    it renders every body but tokenises none and writes no index.
#
#   scripts/index-cost.sh [N]   (N alternating rounds, 8 by default;
#                                CORPUS=target/bench/corpus-10000/portal by default)
#
# The three use the same binary, so code layout does not differ between them. The patched
# tree and its build are kept in target/index-cost/ (a second run rebuilds only what changed).
set -eu
N=${1:-8}
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$here/target/index-cost"
export CORPUS=${CORPUS:-$here/target/bench/corpus-10000/portal}
if [ ! -d "$CORPUS" ]; then
  echo "no corpus at $CORPUS: python3 ../shared/bench/gen_corpus.py target/bench/corpus-10000 --entries 10000" >&2
  exit 2
fi
mkdir -p "$work"
tree="$work/tree"
if [ -d "$tree" ]; then
  # The previous run's patch out first: it would stop the checkout of a newer commit.
  git -C "$tree" reset -q --hard
  git -C "$tree" checkout -q --detach "$(git -C "$here" rev-parse HEAD)"
else
  # A worktree whose folder was deleted (with target/) is still registered until pruned.
  git -C "$here" worktree prune
  git -C "$here" worktree add -q --detach "$tree" HEAD
fi
if ! git -C "$tree" apply "$here/scripts/index-cost.patch"; then
  echo "scripts/index-cost.patch no longer applies to HEAD: update it to the code that reads" >&2
  echo "the tokenised runs (search::build::tokenise) and writes the index (build::build)." >&2
  exit 2
fi
CARGO_TARGET_DIR="$work/target" cargo build -q --release --manifest-path "$tree/Cargo.toml"
bin="$work/target/release/sangtao"
printf '#!/bin/sh\nexec %s "$@"\n' "$bin" >"$work/full"
printf '#!/bin/sh\nSANGTAO_NO_INDEX_FILES=1 exec %s "$@"\n' "$bin" >"$work/no-files"
printf '#!/bin/sh\nSANGTAO_NO_INDEX=1 exec %s "$@"\n' "$bin" >"$work/no-index"
chmod +x "$work/full" "$work/no-files" "$work/no-index"
record="$work/runs.tsv"
: >"$record"
AB_RECORD="$record" "$here/scripts/ab.sh" "$N" "$work/full" "$work/no-files" "$work/no-index"
median() { sort -n | awk '{ a[NR] = $1 } END { print (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2 }'; }
# share VARIANT COLUMN (3: wall time, 4: CPU time of ab.sh's record): the median of the rounds'
# differences between the full build and VARIANT (each round runs the builds back to back, so
# a difference is taken at one state of the machine), against the full build's median.
share() {
  local pairs f d
  pairs=$(awk -F'\t' -v full="$work/full" -v v="$work/$1" -v col="$2" '
    $2 == full { f[$1] = $col } $2 == v { x[$1] = $col }
    END { for (r in f) print f[r], f[r] - x[r] }' "$record")
  f=$(echo "$pairs" | cut -d' ' -f1 | median)
  d=$(echo "$pairs" | cut -d' ' -f2 | sort -n)
  echo "$d" | median | awk -v f="$f" -v lo="$(echo "$d" | head -1)" -v hi="$(echo "$d" | tail -1)" \
    '{ printf "%.2f s of %.2f s, %.0f %% (rounds from %.2f to %.2f s)", $1, f, 100 * $1 / f, lo, hi }'
}
echo "commit $(git -C "$here" rev-parse --short HEAD), corpus $CORPUS, $N rounds, medians:"
echo "  the whole index, wall: $(share no-index 3)"
echo "  the whole index, CPU:  $(share no-index 4)"
echo "  its files alone, wall: $(share no-files 3)"
echo "  its files alone, CPU:  $(share no-files 4)"
