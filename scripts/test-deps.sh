#!/usr/bin/env bash
# Installs what the test scripts need, only when it is missing.
#
#   scripts/test-deps.sh chromium java node venv fonts
#
# or, sourced by another script: `source scripts/test-deps.sh; ensure_deps chromium java`.
#
#   chromium  /usr/bin/chromium and chromedriver (Debian: chromium, chromium-driver)
#   java      a Java runtime for the Nu HTML Checker (Debian: default-jre-headless)
#   node      node >= 20 and npm (Debian: nodejs, npm; the machine normally has them)
#   venv      python3 with a working `-m venv` (Debian: python3-venv)
#   fonts     at least one font for Chromium (Debian: fonts-dejavu-core, fonts-liberation)
#
# Packages come from Debian through apt-get, run as root (or through `sudo -n` when that works);
# `apt-get update` runs at most once per CI run. Without apt-get or root, a missing package is
# an error that says what to install.

_deps_apt_updated="${SANGTAO_APT_UPDATED:-0}"

_deps_apt() {
  local -a run=()
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing test dependencies (Debian packages: $*) and apt-get is not available here." >&2
    echo "       Install them by hand, then run the tests again." >&2
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      run=(sudo -n)
    else
      echo "error: missing test dependencies (Debian packages: $*); installing them needs root." >&2
      echo "       Run as root (as CI does), or: sudo apt-get install -y $*" >&2
      return 1
    fi
  fi
  if [ "$_deps_apt_updated" != 1 ]; then
    echo "--- apt-get update"
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _deps_apt_updated=1
    export SANGTAO_APT_UPDATED=1
  fi
  echo "--- apt-get install -y $*"
  "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null
}

ensure_deps() {
  local -a pkgs=()
  local want
  for want in "$@"; do
    case "$want" in
      chromium)
        if ! command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null 2>&1; then pkgs+=(chromium); fi
        if ! command -v chromedriver >/dev/null 2>&1; then pkgs+=(chromium-driver); fi
        ;;
      java)
        if ! command -v java >/dev/null 2>&1; then pkgs+=(default-jre-headless); fi
        ;;
      node)
        if ! command -v node >/dev/null 2>&1; then pkgs+=(nodejs); fi
        if ! command -v npm >/dev/null 2>&1; then pkgs+=(npm); fi
        ;;
      venv)
        if ! command -v python3 >/dev/null 2>&1; then
          pkgs+=(python3 python3-venv)
        elif ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
          pkgs+=(python3-venv)
        fi
        ;;
      fonts)
        if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list 2>/dev/null | head -n 1)" ]; then
          pkgs+=(fontconfig fonts-dejavu-core fonts-liberation)
        fi
        ;;
      *) echo "ensure_deps: unknown dependency '$want'" >&2; return 2 ;;
    esac
  done
  if [ "${#pkgs[@]}" -gt 0 ]; then
    _deps_apt "${pkgs[@]}"
  fi
  if [[ " $* " == *" node "* ]]; then
    local major
    major="$(node -p 'process.versions.node.split(".")[0]')"
    if [ "$major" -lt 20 ]; then
      echo "error: the browser tests need Node.js >= 20 (node --test with its reporters); found $(node --version)." >&2
      return 1
    fi
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  ensure_deps "$@"
fi
