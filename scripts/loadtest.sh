#!/usr/bin/env bash
# Serving load test (docs/PERFORMANCE.md, "Serving"): GET /feed.atom from
# `tributary serve` against nginx serving the same bytes from disk, with wrk
# on 127.0.0.1 in the same run: plain, gzip (nginx: gzip_static, a
# pre-compressed file) and conditional (If-None-Match, answered 304). Prints
# requests/s of each and the ratio tributary/nginx, and the daemon's peak
# resident memory.
#
#   scripts/loadtest.sh                 # 10 s per run, 5 rounds
#   DURATION=5s ROUNDS=9 scripts/loadtest.sh
#
# The machine is shared and noisy: the two servers run back to back, in
# alternating order, in each round, and the summary gives the median of the
# rounds' ratios beside the ratio of the mean rates.
#
# Installs nginx and wrk with apt-get when they are missing (run as root).
# The store is filled with 50 entries of about 1.3 KB of HTML from a
# generated feed (scripts/benchgen): with titles, links, share links and
# escaping, the Atom document is about 225 KB. Every process it starts is
# stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-5}
CONNS=${CONNS:-32}
TPORT=${TPORT:-18931}
NPORT=${NPORT:-18932}

need=()
command -v nginx >/dev/null || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== build" >&2
. scripts/workdir.sh load
"$dir/benchgen" feed -seed 7 -items 50 -bytes 1300 -o "$dir/source.xml"

cat >"$dir/config.yaml" <<EOF
storage:
  path: $dir/tributary.db
server:
  listen: 127.0.0.1:$TPORT
  base_url: http://127.0.0.1:$TPORT/
output:
  title: Load test
  max_items: 50
fetch:
  interval: 24h
log:
  level: warn
sources:
  - name: Load
    url: $dir/source.xml
EOF

echo "== fill the store, start the daemon" >&2
"$dir/tributary" fetch -config "$dir/config.yaml"
"$dir/tributary" serve -config "$dir/config.yaml" 2>"$dir/serve.log" &
tpid=$!
pids+=("$tpid")
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$TPORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
turl="http://127.0.0.1:$TPORT/feed.atom"
# Let the first round (the file is unchanged: not modified) finish, so that
# nothing changes the store during the runs.
sleep 1

# The bytes tributary serves, both representations, go to nginx's root.
mkdir -p "$dir/www"
curl -fs "$turl" -o "$dir/www/feed.atom"
curl -fs -H 'Accept-Encoding: gzip' "$turl" -o "$dir/www/feed.atom.gz"
touch -r "$dir/www/feed.atom" "$dir/www/feed.atom.gz"
chmod -R a+rX "$dir/www"
chmod a+x "$dir"

cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  gzip_static on;
  gzip_vary on;
  types { application/atom+xml atom; }
  server {
    listen 127.0.0.1:$NPORT;
    root $dir/www;
    add_header Cache-Control "public, max-age=300";
    add_header X-Content-Type-Options nosniff;
  }
}
EOF
nginx -c "$dir/nginx.conf" -g 'daemon off;' &
pids+=("$!")
nurl="http://127.0.0.1:$NPORT/feed.atom"
for _ in $(seq 100); do
	curl -fs "$nurl" -o /dev/null 2>&1 && break
	sleep 0.1
done
if ! cmp -s "$dir/www/feed.atom" <(curl -fs "$nurl"); then
	echo "nginx does not serve the same bytes" >&2
	exit 1
fi

etag() { curl -fsI "$@" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}'; }
tetag=$(etag "$turl")
netag=$(etag "$nurl")
size=$(stat -c %s "$dir/www/feed.atom")
gzsize=$(stat -c %s "$dir/www/feed.atom.gz")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $tetag" "$turl")" = 304 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $netag" "$nurl")" = 304 ]
[ "$(curl -s -H 'Accept-Encoding: gzip' "$nurl" | wc -c)" = "$gzsize" ]

# rps URL [wrk header args...]: requests/s of one wrk run.
rps() {
	wrk -t1 -c"$CONNS" -d"$DURATION" "$@" | awk '/^Requests\/sec:/{print $2}'
}

echo "== feed: $size bytes, gzip $gzsize bytes; wrk -t1 -c$CONNS -d$DURATION, $ROUNDS rounds" >&2
results="$dir/results"
: >"$results"
for round in $(seq "$ROUNDS"); do
	for c in plain gzip 304; do
		case $c in
		plain) targs=() nargs=() ;;
		gzip) targs=(-H 'Accept-Encoding: gzip') nargs=(-H 'Accept-Encoding: gzip') ;;
		304) targs=(-H "If-None-Match: $tetag") nargs=(-H "If-None-Match: $netag") ;;
		esac
		# Alternate which server goes first, so that neither always gets
		# the machine in the state the other left it.
		if [ $((round % 2)) = 1 ]; then
			t=$(rps "${targs[@]}" "$turl")
			n=$(rps "${nargs[@]}" "$nurl")
		else
			n=$(rps "${nargs[@]}" "$nurl")
			t=$(rps "${targs[@]}" "$turl")
		fi
		echo "$round $c $t $n" | tee -a "$results" |
			awk '{printf "round %d %-5s tributary %9.0f req/s   nginx %9.0f req/s   ratio %.2f\n", $1, $2, $3, $4, $3/$4}'
	done
done
echo
sort -k2,2 -k1,1n "$results" | awk '
	{ c = $2; t[c] += $3; n[c] += $4; k[c]++; r[c, k[c]] = $3 / $4 }
	END {
		printf "%-6s %16s %16s %12s %12s\n", "case", "tributary", "nginx", "mean ratio", "median ratio"
		split("plain gzip 304", cs, " ")
		for (i = 1; i <= 3; i++) {
			c = cs[i]
			# median of the per-round ratios (insertion sort: few rounds)
			for (a = 1; a <= k[c]; a++) v[a] = r[c, a]
			for (a = 2; a <= k[c]; a++) { x = v[a]; for (b = a - 1; b >= 1 && v[b] > x; b--) v[b+1] = v[b]; v[b+1] = x }
			m = (k[c] % 2) ? v[(k[c]+1)/2] : (v[k[c]/2] + v[k[c]/2+1]) / 2
			printf "%-6s %10.0f req/s %10.0f req/s %12.2f %12.2f\n", c, t[c]/k[c], n[c]/k[c], t[c]/n[c], m
		}
	}'
echo "tributary serve peak RSS: $(awk '/^VmHWM/{print $2, $3}' "/proc/$tpid/status")"
