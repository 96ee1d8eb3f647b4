#!/usr/bin/env bash
# The whole test suite: Rust tests (unit, integration, doc), then the browser tests over the
# built example portal (headless Chromium, axe-core, print, English UI, sub-path, search) and
# the Nu HTML Checker. Installs Chromium, Java and the npm packages when missing
# (scripts/test-deps.sh; apt-get needs root, as in CI).
#
#   scripts/test.sh                  everything
#   SKIP_BROWSER=1 scripts/test.sh   Rust tests only
#
# Every stage runs even when an earlier one fails; the exit status is non-zero if any failed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
START=$SECONDS
failed=()
section() { printf '\n========== %s ==========\n' "$*"; }
stage() {
  local name="$1"
  shift
  section "$name"
  local t=$SECONDS
  if "$@"; then
    echo "--- $name: ok ($((SECONDS - t)) s)"
  else
    echo "--- $name: FAILED ($((SECONDS - t)) s)"
    failed+=("$name")
  fi
}

stage "cargo test --all-targets" cargo test --all-targets --no-fail-fast
stage "cargo test --doc" cargo test --doc --no-fail-fast
if [ "${SKIP_BROWSER:-0}" != 1 ]; then
  stage "browser tests (scripts/browser-tests.sh)" "$REPO/scripts/browser-tests.sh"
fi

if [ "${#failed[@]}" -gt 0 ]; then
  section "scripts/test.sh: FAILED in $((SECONDS - START)) s: ${failed[*]}"
  exit 1
fi
section "scripts/test.sh: all tests passed in $((SECONDS - START)) s"
