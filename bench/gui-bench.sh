#!/usr/bin/env bash
# gui-bench.sh [LOCATIONS] — how long jobmon gui takes to read and render the workflow page of the
# three-phase workflow of 3 x LOCATIONS + 1 tasks (default 33,333: 100,000 tasks), bound into a fresh
# embedded database and given the attempts of a run well under way (one per task, 1% still running,
# and 1% failed twice with errors): the first page in a fresh server process, and the median of five more after a task
# row changed each time (org.jobmon.cli.views.GuiBench); then, in another fresh process, as a person
# gets it: a GuiServer started as `jobmon gui` starts it, after its warm-up, over HTTP. A benchmark,
# not a test: the target is under 2 s for 100,000 tasks.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -B install -DskipTests -pl cli -am >&2
mvn -q -B test-compile -pl engine,cli >&2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mvn -q -B dependency:build-classpath -pl engine -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp-engine" >&2
mvn -q -B dependency:build-classpath -pl cli -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp-cli" >&2
java -Xmx2g -cp "engine/target/test-classes:engine/target/classes:$(cat "$work/cp-engine")" org.jobmon.engine.bench.EngineBench \
  bind "${1:-33333}" "jdbc:h2:file:$work/db" 2>/dev/null | sed -n 's/^RESULT /bound: /p' >&2
cp="cli/target/test-classes:cli/target/classes:$(cat "$work/cp-cli")"
java -cp "$cp" org.jobmon.cli.views.GuiBench "$work/db" 1 attempts 2>/dev/null
java -cp "$cp" org.jobmon.cli.views.GuiBench "$work/db" 1 2>/dev/null
java -cp "$cp" org.jobmon.cli.views.GuiBench "$work/db" 1 served 2>/dev/null
