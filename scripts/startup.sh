#!/usr/bin/env bash
# Start-up and memory of the daemon on a large store (docs/PERFORMANCE.md,
# "Scale"): starts `tributary serve` on the shared benchmark store of
# ENTRIES entries (scripts/benchstore builds it into $TMPDIR the first time:
# minutes for 1,000,000), and prints the time until /healthz answers, the
# time of the first GET /feed.atom (a render of the newest 50), and the
# daemon's peak resident memory (VmHWM) after each.
#
#   ENTRIES=1000000 scripts/startup.sh
#   FEEDS=200 ENTRIES=1000000 scripts/startup.sh
#
# The only source is a closed port on 127.0.0.1, so the daemon's first round
# fails at once and stores no entry: the store stays as built. With FEEDS=N
# the daemon works on a copy of the store instead, and its sources are N
# generated feed files of 50 articles never seen (about 3 KB of HTML each):
# the script also prints how long the first round took to ingest them
# (/readyz answers once it is done) and the peak resident memory after it.
# Every process it starts is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

ENTRIES=${ENTRIES:-1000000}
FEEDS=${FEEDS:-0}
PORT=${PORT:-18933}

. scripts/workdir.sh startup

store=$("$dir/benchgen" store -n "$ENTRIES")
if ((FEEDS > 0)); then
	echo "copying $store ($(du -h "$store" | cut -f1)) to write to it"
	cp --sparse=always "$store" "$dir/store.db"
	store=$dir/store.db
fi

cat >"$dir/config.yaml" <<EOF
storage:
  path: $store
  timeout: 10s
server:
  listen: 127.0.0.1:$PORT
  base_url: http://127.0.0.1:$PORT/
fetch:
  interval: 24h
log:
  level: warn
sources:
EOF
if ((FEEDS > 0)); then
	mkdir "$dir/feeds"
	for ((i = 0; i < FEEDS; i++)); do
		"$dir/benchgen" feed -seed $((900000 + i)) -items 50 -bytes 3000 -o "$dir/feeds/$i.xml"
		printf '  - name: Feed %d\n    url: %s\n' "$i" "$dir/feeds/$i.xml" >>"$dir/config.yaml"
	done
else
	printf '  - name: Closed port\n    url: http://127.0.0.1:9/feed.xml\n' >>"$dir/config.yaml"
fi

hwm() { awk '/^VmHWM/{print $2, $3}' "/proc/$1/status"; }
now() { date +%s.%N; }

echo "store: $store ($(du -h "$store" | cut -f1), $ENTRIES entries)"
start=$(now)
"$dir/tributary" serve -config "$dir/config.yaml" 2>"$dir/serve.log" &
pid=$!
pids+=("$pid")
# answers PATH waits until the daemon answers PATH with a success, and
# fails with its log if it exits first.
answers() {
	until curl -fs "http://127.0.0.1:$PORT$1" >/dev/null 2>&1; do
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$dir/serve.log" >&2
			exit 1
		fi
		sleep 0.01
	done
}
answers /healthz
up=$(now)
echo "start-up (exec to /healthz answering): $(awk -v a="$start" -v b="$up" 'BEGIN{printf "%.3f s", b-a}'), peak RSS $(hwm "$pid")"
if ((FEEDS > 0)); then
	answers /readyz
	ready=$(now)
	echo "first round, $FEEDS feeds of 50 new articles: $(awk -v a="$up" -v b="$ready" 'BEGIN{printf "%.1f s", b-a}'), peak RSS $(hwm "$pid")"
	up=$ready
fi
bytes=$(curl -fs "http://127.0.0.1:$PORT/feed.atom" | wc -c)
first=$(now)
echo "first GET /feed.atom ($bytes bytes, rendered on demand): $(awk -v a="$up" -v b="$first" 'BEGIN{printf "%.3f s", b-a}'), peak RSS $(hwm "$pid")"
curl -fs "http://127.0.0.1:$PORT/feed.atom" -o /dev/null
again=$(now)
echo "second GET /feed.atom (cached): $(awk -v a="$first" -v b="$again" 'BEGIN{printf "%.3f s", b-a}')"
