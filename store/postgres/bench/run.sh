#!/usr/bin/env bash
# Benchmarks of the PostgreSQL adapter against pgbench on the same throwaway server, in one
# run: escalation commands per second through escalation.Engine (and UpdateComplaint alone)
# against pgbench's built-in TPC-B-like transaction rate with the same number of clients,
# ledger postings per second, and the latency of the sweep's ListDue with 1,000,000 open
# complaints.
#
#   store/postgres/bench/run.sh                 # 8 clients, 20 s each, 1,000,000 open
#   CLIENTS=4 SECONDS_EACH=10 OPEN=100000 store/postgres/bench/run.sh
#
# The server is started the way store/postgres/pgtest starts one (initdb and pg_ctl from
# PATH or /usr/lib/postgresql/*/bin, a temporary directory, a Unix socket only, fsync off,
# as the postgres user when run as root) and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../../.."

CLIENTS=${CLIENTS:-8}
SECONDS_EACH=${SECONDS_EACH:-20}
OPEN=${OPEN:-1000000}

find_bin() {
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
		return
	fi
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -1
}
BIN=$(find_bin)
[ -x "$BIN/initdb" ] || { echo "no PostgreSQL server binaries found" >&2; exit 1; }
PGBENCH=$(command -v pgbench || echo "$BIN/pgbench")
PSQL=$(command -v psql || echo "$BIN/psql")

AS=()
if [ "$(id -u)" -eq 0 ]; then
	AS=(runuser -u postgres --)
fi
DIR=$(mktemp -d /tmp/gridgov-bench-XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
cleanup() {
	(cd /tmp && "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
	rm -rf "$DIR"
}
trap cleanup EXIT

(cd /tmp && "${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C -N >/dev/null)
cat >>"$DIR/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$DIR'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 256MB
max_locks_per_transaction = 256
EOF
(cd /tmp && "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w start >/dev/null)
"$BIN/postgres" --version

CONN=(-h "$DIR" -p 5432 -U postgres)
"$PSQL" "${CONN[@]}" -X -q -c "CREATE DATABASE pgbench"
"$PGBENCH" "${CONN[@]}" -i -s 1 -q pgbench 2>&1 | tail -1
echo "== pgbench (TPC-B-like, scale 1, $CLIENTS clients, ${SECONDS_EACH}s, prepared statements)"
PGB_OUT=$("$PGBENCH" "${CONN[@]}" -c "$CLIENTS" -j 2 -T "$SECONDS_EACH" -M prepared pgbench 2>&1)
echo "$PGB_OUT" | grep -E "^(tps|latency average|number of transactions actually processed)"
TPS=$(echo "$PGB_OUT" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)

echo "== Go benchmarks ($CLIENTS clients, ${SECONDS_EACH}s each; ListDue among $OPEN open complaints)"
export GRIDGOV_POSTGRES_DSN="host=$DIR port=5432 user=postgres dbname=postgres sslmode=disable"
export GRIDGOV_BENCH_CLIENTS=$CLIENTS GRIDGOV_BENCH_OPEN=$OPEN
GO_OUT=$(go test -run '^$' -bench 'BenchmarkEngineCommands|BenchmarkUpdateComplaint|BenchmarkLedgerPost' \
	-benchtime "${SECONDS_EACH}s" ./store/postgres/ 2>&1)
echo "$GO_OUT" | grep -E "^Benchmark"
LD_OUT=$(go test -run '^$' -bench 'BenchmarkListDue' -benchtime "${SECONDS_EACH}s" -timeout 30m ./store/postgres/ 2>&1)
echo "$LD_OUT" | grep -E "^Benchmark|loaded"

metric() { echo "$GO_OUT" | grep "^$1" | awk -v unit="$2" '{ for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1) }' | head -1; }
CMDS=$(metric BenchmarkEngineCommands cmds/s)
UPDS=$(metric BenchmarkUpdateComplaint updates/s)
echo "== summary"
echo "pgbench TPC-B-like:            $TPS tps"
echo "Engine commands (pause/resume): $CMDS cmds/s   ratio $(awk -v a="$CMDS" -v b="$TPS" 'BEGIN { printf "%.2f", a / b }')x"
echo "UpdateComplaint alone:          $UPDS updates/s ratio $(awk -v a="$UPDS" -v b="$TPS" 'BEGIN { printf "%.2f", a / b }')x"
