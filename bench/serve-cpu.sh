#!/usr/bin/env bash
# The CPU a `reportgen serve` spends per save (rebuild and the check after it): starts the
# server on SITE, lets the first build and check finish, appends a blank line to one chapter
# SAVES times, SPACING seconds apart, and prints the server's user + system CPU per save, read
# from /proc. The site's files are changed: run it on a copy.
#
#   bench/serve-cpu.sh BIN SITE [PORT] [SAVES] [SPACING]
set -euo pipefail
bin=$1 site=$2 port=${3:-4100} saves=${4:-5} spacing=${5:-5}
log=$(mktemp)
"$bin" --root "$site" serve --port "$port" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
sleep 10
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
chapter=$(find "$site/content/chapters" -name '*.md' | sort | sed -n 3p)
t0=$(ticks)
for _ in $(seq "$saves"); do
  echo "" >>"$chapter"
  sleep "$spacing"
done
t1=$(ticks)
echo "$bin: $(( (t1 - t0) * 1000 / hz / saves )) ms of CPU per save over $saves saves ($(grep -c rebuilt "$log") rebuilds)"
