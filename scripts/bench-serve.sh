#!/usr/bin/env bash
# Latency of `sangtao serve` on the 10k-entry corpus (issue 5): the time from writing one news
# entry's body to (a) the `reload` event reaching an open event stream and (b) the new page being
# served, N times; plus the first (full, in-memory) build and a full rebuild after site.toml
# changes. Needs python3 (stdlib only) and a release build.
#
#   scripts/bench-serve.sh [CORPUS_DIR] [N]      (defaults: /tmp/corpus10k, 20)
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-/tmp/corpus10k}"
runs="${2:-20}"

if [ ! -f "$corpus/portal/site.toml" ]; then
  python3 "$here/../shared/bench/gen_corpus.py" "$corpus" --entries 10000
fi
(cd "$here" && cargo build --release --quiet)

# Work on a copy: the benchmark edits entries.
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cp -r "$corpus/portal/." "$site/"

python3 - "${CARGO_TARGET_DIR:-$here/target}/release/sangtao" "$site" "$runs" <<'PY'
import glob, os, queue, re, socket, statistics, subprocess, sys, threading, time

binary, site, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
proc = subprocess.Popen(
    [binary, "--root", site, "--now", "2026-01-01", "serve", "--port", "0"],
    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
started = time.perf_counter()
line = proc.stdout.readline()
url = re.match(r"listening on http://([^/]+)(/.*)", line.strip())
if not url:
    sys.exit(f"unexpected output: {line!r}")
host, port = url.group(1).rsplit(":", 1)
addr = (host, int(port))
startup_s = time.perf_counter() - started

stderr_lines = []
def drain_stderr():
    for l in proc.stderr:
        stderr_lines.append(l.rstrip())
threading.Thread(target=drain_stderr, daemon=True).start()

def get(path):
    with socket.create_connection(addr) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(1 << 16):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body

events = queue.Queue()
def listen():
    s = socket.create_connection(addr)
    s.sendall(b"GET /__sangtao/events HTTP/1.1\r\nHost: x\r\n\r\n")
    f = s.makefile("rb")
    name, data = None, []
    for raw in f:
        l = raw.decode().rstrip("\n")
        if l.startswith("event: "):
            name = l[7:]
        elif l.startswith("data: "):
            data.append(l[6:])
        elif l == "" and name:
            events.put((time.perf_counter(), name, "".join(data)))
            name, data = None, []
threading.Thread(target=listen, daemon=True).start()
time.sleep(0.3)

def wait_event(name, timeout=120):
    deadline = time.perf_counter() + timeout
    while True:
        t, n, d = events.get(timeout=max(0.01, deadline - time.perf_counter()))
        if n == name:
            return t, d

news = sorted(glob.glob(os.path.join(site, "content/news/**/*.md"), recursive=True))
target = news[len(news) // 2]
stem = os.path.splitext(os.path.basename(target))[0]
original = open(target, encoding="utf-8").read()

page_url = None
def series(edit):
    """Saves the target `runs + 1` times with `edit(original, marker)`; the first save warms
    caches and is not counted. Returns the times to the reload event and to the new page."""
    global page_url
    event_ms, page_ms = [], []
    for i in range(runs + 1):
        marker = f"benchmark-marker-{i}-{time.time_ns()}"
        t0 = time.perf_counter()
        with open(target, "w", encoding="utf-8") as f:
            f.write(edit(original, marker))
        t1, data = wait_event("reload")
        if page_url is None:
            changed = re.findall(r'"([^"]*' + re.escape(stem) + r'[^"]*index\.html)"', data)
            if not changed:
                sys.exit(f"the edited page is not among the changed outputs: {data[:300]}")
            page_url = "/" + changed[0][: -len("index.html")]
        while True:
            status, body = get(page_url)
            if marker.encode() in body:
                break
        t2 = time.perf_counter()
        if i > 0:
            event_ms.append((t1 - t0) * 1000)
            page_ms.append((t2 - t0) * 1000)
        # One save at a time, as an officer saves and looks: the search index (rebuilt in the
        # background once files are quiet) is done before the next save.
        time.sleep(1.0)
    return event_ms, page_ms

# The body only (the common save while writing), then the title (front matter: the site is
# resolved and validated again, and the listings showing the entry are rendered again).
event_ms, page_ms = series(lambda text, m: f"{text}\n\nĐoạn đo thời gian {m}.\n")
title_event_ms, title_page_ms = series(lambda text, m: text.replace('title = "', f'title = "{m} ', 1))
with open(target, "w", encoding="utf-8") as f:
    f.write(original)
wait_event("reload")

# A full rebuild: site.toml changing rebuilds everything.
config = os.path.join(site, "site.toml")
text = open(config, encoding="utf-8").read()
t0 = time.perf_counter()
with open(config, "w", encoding="utf-8") as f:
    # A real change (a comment alone changes no output, so no reload would be sent).
    f.write(text.replace('title = "', 'title = "Đo: ', 1))
t1, _ = wait_event("reload")
full_ms = (t1 - t0) * 1000

with open(config, "w", encoding="utf-8") as f:
    f.write(text)
proc.send_signal(2)
proc.wait(timeout=30)
initial = next((l for l in stderr_lines if "ms" in l and ("dựng" in l or "Built" in l)), "?")

applied = [int(m.group(1)) for l in stderr_lines
           for m in [re.search(r"(?:Cập nhật trong|Updated in) (\d+) ms", l)] if m]
# Per series: the warm-up edit first; then the restore and the site.toml rebuild.
title_applied = applied[runs + 2:2 * runs + 2]
applied = applied[1:runs + 1]

def fmt(xs):
    return f"median {statistics.median(xs):.1f} ms, max {max(xs):.1f} ms"
print(f"entries: {len(news)} news files; edited: {os.path.relpath(target, site)} ({page_url})")
print(f"first build into memory (from the server's log): {initial}")
print(f"startup to listening: {startup_s * 1000:.0f} ms")
print(f"edit -> reload event ({runs} runs): {fmt(event_ms)}")
print(f"edit -> new page served ({runs} runs): {fmt(page_ms)}")
if applied:
    print(f"  of which Workspace::apply, from the server's log: {fmt(applied)}")
print(f"title edit -> reload event ({runs} runs): {fmt(title_event_ms)}")
print(f"title edit -> new page served ({runs} runs): {fmt(title_page_ms)}")
if title_applied:
    print(f"  of which Workspace::apply, from the server's log: {fmt(title_applied)}")
print(f"site.toml edit -> reload event (full rebuild): {full_ms:.0f} ms")
PY
