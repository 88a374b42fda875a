#!/usr/bin/env bash
# status-bench.sh [WORKFLOWS [TASKS [JDBC_URL]]] — fills a database (default: a new embedded one in a
# temporary folder) with WORKFLOWS workflows and TASKS tasks in all (default 1000 and 1,000,000) by
# bulk SQL, then times `jobmon workflow_status` on it: in process (org.jobmon.cli.status.StatusBench,
# each call opening the database as the command does), then as a separate `jobmon` process, JVM
# start-up included. A benchmark, not a test: the target is under 1 s for workflow_status.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mvn -q -B -o ${MVN_OPTS:-} test-compile -pl cli >&2
cp_file=$(mktemp); trap 'rm -f "$cp_file"' EXIT
mvn -q -B -o ${MVN_OPTS:-} dependency:build-classpath -pl cli -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
cp="cli/target/test-classes:cli/target/classes:$(cat "$cp_file")"
out=$(java -cp "$cp" org.jobmon.cli.status.StatusBench "$@" | tee /dev/stderr)
url=$(sed -n 's/^database: //p' <<<"$out")
[ -n "$url" ] || url="${3:-}"
[ -n "$url" ] || exit 0
# wall time on a busy machine varies a lot; the CPU time the process used says more
TIMEFORMAT='%R s wall, %U s user + %S s sys CPU'
for args in "workflow_status" "workflow_status -n" "workflow_status" "workflow_status -n"; do
  echo -n "separate process: jobmon $args (JVM start-up included): "
  # shellcheck disable=SC2086
  { time java -cp "$cp" org.jobmon.cli.JobmonCli $args --db "$url" > /dev/null; } 2>&1 | tail -1
done
