#!/usr/bin/env bash
# Set-up and entry points, so a fresh Debian 12 machine needs only two commands:
#   ./run.sh demo   create .venv, install govsite, find or install Chromium, run the demo
#   ./run.sh test   the same set-up, then the test suite
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
BIN=$VENV/bin

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }

as_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
    say "installing Debian packages: $*"
    if [ ! -f /var/lib/apt/periodic/govsite-updated ] || [ -z "$(ls /var/lib/apt/lists 2>/dev/null | head -1)" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/govsite-updated
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_venv() {
    if [ ! -x "$BIN/python" ]; then
        if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
            if as_root && command -v apt-get >/dev/null; then
                apt_install python3-venv
            else
                say "Python's venv module is missing: install python3-venv" && exit 2
            fi
        fi
        say "creating $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp=$VENV/.installed
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        say "installing govsite and its dependencies into $VENV"
        local log=$VENV/install.log
        if ! { "$BIN/python" -m pip install -q --upgrade pip &&
               "$BIN/python" -m pip install -q -e '.[test]'; } >"$log" 2>&1; then
            grep -v '^WARNING: Location' "$log" | tail -20 >&2
            say "installation failed (full log: $log)"; exit 2
        fi
        touch "$stamp"
    fi
}

find_browser() {
    # Same order as the product: configured path, $GOVSITE_CHROMIUM, system, Playwright's.
    "$BIN/python" -c 'from govsite.crawler.browser import find_chromium; import sys; p = find_chromium(); print(p or ""); sys.exit(0 if p else 1)' 2>/dev/null
}

ensure_browser() {
    if find_browser >/dev/null; then return; fi
    if as_root && command -v apt-get >/dev/null; then
        apt_install chromium
    else
        say "installing a Playwright-managed Chromium"
        "$BIN/python" -m playwright install chromium
    fi
    find_browser >/dev/null || { say "no Chromium could be found or installed"; exit 2; }
}

ensure_debian_packages() {
    # Installed when we may: a CJK font so evidence screenshots show Chinese text,
    # nginx and wget for the benchmark's smoke test, the test servers.
    as_root && command -v apt-get >/dev/null || return 0
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

case "${1:-}" in
    demo)
        ensure_venv; ensure_browser; ensure_debian_packages fonts-wqy-zenhei
        exec "$BIN/govsite" demo ;;
    test)
        # postgresql: the storage tests run on PostgreSQL too (tests/servers.py starts
        # a throwaway server on loopback); redis-server for the distributed crawl's.
        ensure_venv; ensure_browser
        ensure_debian_packages fonts-wqy-zenhei nginx wget postgresql redis-server
        shift
        # One pytest process per core (pytest-xdist), each test file kept in one
        # of them (its module fixtures start once); GOVSITE_TEST_WORKERS=0 runs
        # everything in this process.
        exec "$BIN/python" -m pytest -n "${GOVSITE_TEST_WORKERS:-auto}" --dist loadfile "$@" ;;
    setup)
        ensure_venv; ensure_browser ;;
    *)
        echo "usage: ./run.sh demo | test [pytest args] | setup" >&2; exit 2 ;;
esac
