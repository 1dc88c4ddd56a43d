# Sourced by the load and start-up scripts: a scratch directory that goes
# away on exit with every process the script recorded in pids (stopped by
# PID), and the binaries built into it. $1 names the directory.
dir=$(mktemp -d "${TMPDIR:-/tmp}/tributary-$1.XXXXXX")
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$dir"
}
trap cleanup EXIT

go build -o "$dir/tributary" ./cmd/tributary
go build -o "$dir/benchgen" ./scripts/benchgen
