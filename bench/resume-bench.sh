#!/usr/bin/env bash
# resume-bench.sh [TASKS] — times resuming a TASKS-task workflow (default 100,000) of which 99% is
# DONE, on a fresh embedded database: how long until the first of the remaining tasks runs
# (org.jobmon.engine.bench.EngineBench resume). A benchmark, not a test: the target is "within seconds".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -B -o test-compile -pl engine >&2
cp_file=$(mktemp); trap 'rm -f "$cp_file"' EXIT
mvn -q -B -o dependency:build-classpath -pl engine -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
cp="engine/target/test-classes:engine/target/classes:$(cat "$cp_file")"
db=$(mktemp -d); trap 'rm -f "$cp_file"; rm -rf "$db"' EXIT
# bound in one JVM, resumed in another: a user's resume starts cold
java -cp "$cp" org.jobmon.engine.bench.EngineBench prepare-resume "${1:-100000}" "$db/db" >/dev/null 2>&1
java -Djdk.lang.Process.launchMechanism=VFORK -cp "$cp" org.jobmon.engine.bench.EngineBench resume "${1:-100000}" "$db/db" 2>/dev/null
