#!/usr/bin/env bash
# three-phase-true.sh L [SLOTS] — times `jobmon run` on the three-phase DAG with `true` as every
# command, on the Multiprocess executor with SLOTS slots (default 2) and a fresh embedded database:
# transform(l,s) for s in 1,2 -> aggregate(l) -> one summarize; L=3333 gives 10,000 tasks.
# Put it beside `make -j2` on the same DAG (a floor for the cost of starting processes):
#   bench/three-phase-true.sh 3333; ../shared/bench/make-floor.sh 3333   (or any make-floor script)
# Prints "jobmon run: N tasks in S s (M ms/task), DONE".
set -euo pipefail
L=${1:?usage: three-phase-true.sh LOCATIONS [SLOTS]}; SLOTS=${2:-2}
root="$(cd "$(dirname "$0")/.." && pwd)"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cat > "$dir/spec.yaml" <<SPEC
tool: bench_tool
workflow:
  name: three_phase_true
  executor: multiprocess
  executor_config: {slots: $SLOTS}
task_templates:
  transform: {command_template: "true {location_id} {sex_id}", node_args: [location_id, sex_id]}
  aggregate: {command_template: "true {location_id}", node_args: [location_id]}
  summarize: {command_template: "true summarize"}
tasks:
  - {template: transform, name: "t_{location_id}_{sex_id}", foreach: {location_id: {from: 1, to: $L}, sex_id: [1, 2]}}
  - {template: aggregate, name: "a_{location_id}", foreach: {location_id: {from: 1, to: $L}}, upstreams: ["t_{location_id}_*"]}
  - {template: summarize, name: summarize, upstreams: ["a_*"]}
SPEC
"$root/jobmon" --version >/dev/null 2>&1 || true   # build first, outside the timing
start=$(date +%s.%N)
"$root/jobmon" --db "jdbc:h2:file:$dir/db;MODE=MariaDB;NON_KEYWORDS=USER;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE" run -n "$dir/spec.yaml" > "$dir/out.json"
end=$(date +%s.%N)
status=$(sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p' "$dir/out.json" | tail -1)
awk -v s="$start" -v e="$end" -v n=$((3 * L + 1)) -v st="$status" \
  'BEGIN { printf "jobmon run: %d tasks in %.2f s (%.3f ms/task), %s\n", n, e - s, (e - s) * 1000 / n, st }'
