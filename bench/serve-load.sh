#!/usr/bin/env bash
# Load test of `reportgen serve` on the real report: wrk for DURATION at CONNECTIONS
# connections against a chapter page (twice) and a missing page (twice), the server's RSS and
# thread count before and after each run, then path-traversal probes (`../`, `%2e%2e`, encoded
# slashes, absolute paths, a symlink out of the output) that must get 403/404.
#
#   bench/serve-load.sh            # 30 s at 64 connections per run (needs wrk: apt-get install -y wrk)
#   DURATION=5s bench/serve-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18111}
PAGE=${PAGE:-/chapters/ai/}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/reportgen

log=$(mktemp)
"$bin" --root . serve --port "$PORT" >"$log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 1 200); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$log" | head -n1 || true)
    [ -n "$url" ] && curl -fsS -o /dev/null "$url" && break
    sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "server did not start" >&2; exit 1; }
base=${url%/}
echo "server pid $pid at $url; $(head -n1 "$log")"

mem() { awk '/^VmRSS/ {r=$2} /^Threads/ {t=$2} END {printf "RSS %d KiB, %d threads", r, t}' "/proc/$pid/status"; }

run() { # name path
    echo
    echo "== $1: wrk -t2 -c$CONNECTIONS -d$DURATION $base$2"
    echo "before: $(mem)"
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$base$2")
    echo "$out" | grep -E 'Latency|Req/Sec|requests in|Requests/sec|Transfer/sec|Socket errors|Non-2xx' | sed 's/^ */  /'
    echo "$out" | grep -q 'Socket errors' && echo "  !! socket errors" || echo "  socket errors: none"
    sleep 1
    echo "after:  $(mem)"
}

curl -fsS -o /dev/null "$base$PAGE"
echo "idle:   $(mem)"
run "page, run 1" "$PAGE"
run "page, run 2" "$PAGE"
run "missing page (404 expected), run 1" /no/such/page/
run "missing page (404 expected), run 2" /no/such/page/

echo
echo "== paths that leave the output (each must be 403 or 404, never the file)"
out_dir=""
for d in "${XDG_RUNTIME_DIR:-}" /dev/shm "${TMPDIR:-/tmp}"; do
    [ -n "$d" ] && [ -d "$d/reportgen-serve-$pid-0/site" ] && out_dir="$d/reportgen-serve-$pid-0/site" && break
done
[ -n "$out_dir" ] && ln -sf "$PWD/site.toml" "$out_dir/leak.txt"
fail=0
for p in /../site.toml /%2e%2e/site.toml /%2E%2E/%2e%2e/etc/passwd /..%2fsite.toml '/..\site.toml' //etc/passwd /%2fetc/passwd /chapters/../../site.toml /leak.txt; do
    body=$(mktemp)
    code=$(curl -s --path-as-is -o "$body" -w '%{http_code}' "$base$p")
    if [[ $code != 403 && $code != 404 ]] || grep -q -e '\[strings\]' -e 'root:x:0' "$body"; then
        echo "  FAIL $p -> $code"
        fail=1
    else
        echo "  $code $p"
    fi
    rm -f "$body"
done
[ -n "$out_dir" ] || echo "  (output directory not found: symlink probe skipped)"
exit $fail
