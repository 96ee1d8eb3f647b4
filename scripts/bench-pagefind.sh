#!/usr/bin/env bash
# Pagefind against sangtao's own search, on the same built sites (issue 4, last "What to build").
#
#   scripts/bench-pagefind.sh                 example portal and the 10k corpus, 3 runs each
#   RUNS=5 SITES=example scripts/bench-pagefind.sh
#   CORPUS_10K=/tmp/c10k/portal scripts/bench-pagefind.sh   reuse a generated corpus
#   SANGTAO_BIN=/path/to/sangtao scripts/bench-pagefind.sh   skip the release build
#
# 1. Installs Pagefind from npm (`pagefind@$PAGEFIND_VERSION`, default 1.6.0; its binary comes
#    as the optional dependency @pagefind/<platform> from the npm registry) into a cache folder,
#    $PAGEFIND_CACHE (default ~/.cache/sangtao-bench/pagefind-<version>), once.
# 2. Builds sangtao in release mode and the sites: the example portal, and the corpus of
#    ../shared/bench/gen_corpus.py --entries 10000 (generated under target/bench if missing),
#    each `build --now 2026-11-25`, $RUNS times: wall time and peak RSS of the whole build
#    (/usr/bin/time -v), the "search index files" stage and the "markdown and search
#    tokenising" pass (SANGTAO_TIMINGS=1).
# 3. Runs Pagefind on each built site $RUNS times per configuration, under /usr/bin/time -v:
#      pagefind       defaults: every <body> (header, menu and footer included)
#      pagefind-main  --root-selector main --exclude-selectors "nav, section.related": what a
#                     theme marking <main> data-pagefind-body and the related list
#                     data-pagefind-ignore would index
# 4. Queries both engines in headless Chromium (scripts/pagefind/measure.mjs, playwright-core
#    from tests/browser/node_modules, the site served by `python3 -m http.server`): results,
#    relevance and bytes per query (gzip of each body, or the raw size when smaller).
# Prints Markdown tables (medians) and writes them to $BENCH_DIR/pagefind.md
# (default target/bench/pagefind/pagefind.md); the raw figures stay beside it.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared}
runs=${RUNS:-3}
version=${PAGEFIND_VERSION:-1.6.0}
cache=${PAGEFIND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sangtao-bench/pagefind-$version}
work=${BENCH_DIR:-$here/target/bench/pagefind}
read -r -a sites <<<"${SITES:-example 10k}"
now=2026-11-25
mkdir -p "$work" "$cache"

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }

# ---- Pagefind from npm ----
pf_bin() {
  local f
  for f in "$cache"/node_modules/@pagefind/*/bin/pagefind "$cache"/node_modules/@pagefind/*/bin/pagefind_extended; do
    [ -x "$f" ] && { echo "$f"; return; }
  done
  return 0
}
if [ -z "$(pf_bin)" ]; then
  [ -f "$cache/package.json" ] || echo '{"private": true}' >"$cache/package.json"
  npm install --prefix "$cache" --no-audit --no-fund "pagefind@$version" >&2
fi
pagefind=$(pf_bin)
[ -n "$pagefind" ] || { echo "no Pagefind binary under $cache/node_modules/@pagefind/*/bin" >&2; exit 1; }
"$pagefind" --version >&2

# ---- browser dependencies (playwright-core; Chromium from Debian) ----
[ -d "$here/tests/browser/node_modules/playwright-core" ] || (cd "$here/tests/browser" && npm ci --no-audit --no-fund >&2)
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "Chromium missing: run scripts/test-deps.sh" >&2; exit 1; }

# SANGTAO_BIN: an already built binary (e.g. while the tree does not compile); else a release build.
if [ -n "${SANGTAO_BIN:-}" ]; then
  sangtao=$SANGTAO_BIN
else
  (cd "$here" && cargo build --release -q)
  sangtao="$here/target/release/sangtao"
fi

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# Runs a command under /usr/bin/time; prints "seconds kilobytes"; its output goes to file $1.
measure() {
  local out=$1 log; shift
  log=$(mktemp)
  /usr/bin/time -v -o "$log" "$@" >"$out" 2>&1 || { cat "$out" "$log" >&2; rm -f "$log"; return 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); s = (length(t) == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2]}
              /Maximum resident set size/ {m = $2}
              END {printf "%.3f %d\n", s, m}' "$log"
  rm -f "$log"
}

timings="$work/timings.tsv"   # site  what  wall_s  rss_kb  index_ms(sangtao)
: >"$timings"
loads="$work/loads.txt"
: >"$loads"

for site in "${sites[@]}"; do
  case $site in
    example) root="$here" ;;
    10k)
      root=${CORPUS_10K:-$here/target/bench/corpus-10000/portal}
      [ -f "$root/site.toml" ] || python3 "$shared/bench/gen_corpus.py" "$(dirname "$root")" --entries 10000 >/dev/null
      ;;
    *) echo "unknown site $site (example, 10k)" >&2; exit 2 ;;
  esac
  out="$work/site-$site"
  echo "$site: $(uptime)" >>"$loads"
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    r=$(measure "$work/build.err" env SANGTAO_TIMINGS=1 "$sangtao" --root "$root" build --now "$now" --output "$out")
    # The index's files (their own wall time: since the sixth round they are made beside the
    # pages), and the pass that renders Markdown and tokenises for the index.
    ms=$(awk '/\(search index files, wall\):/ {print $5}' "$work/build.err")
    tok=$(awk '/markdown and search tokenising:/ {print $5}' "$work/build.err")
    printf '%s\tsangtao\t%s\t%s\t%s\t%s\n' "$site" "${r% *}" "${r#* }" "$ms" "$tok" >>"$timings"
  done
  for conf in pagefind pagefind-main; do
    args=(--site "$out" --output-subdir "$conf")
    [ "$conf" = pagefind-main ] && args+=(--root-selector main --exclude-selectors "nav, section.related")
    for _ in $(seq "$runs"); do
      rm -rf "${out:?}/$conf"
      r=$(measure "$work/pagefind.err" "$pagefind" "${args[@]}")
      printf '%s\t%s\t%s\t%s\t\n' "$site" "$conf" "${r% *}" "${r#* }" >>"$timings"
    done
    grep -E 'Indexed [0-9]+ (pages|words)' "$work/pagefind.err" | sed "s/^ */$site $conf: /" >>"$loads" || true
  done
  echo "$site after indexing: $(uptime)" >>"$loads"
  PF_BUNDLES="pagefind pagefind-main" node "$here/scripts/pagefind/measure.mjs" "$out" "$site" >"$work/queries-$site.jsonl"
done

node "$here/scripts/pagefind/report.mjs" "$work" "${sites[@]}" | tee "$work/pagefind.md"
