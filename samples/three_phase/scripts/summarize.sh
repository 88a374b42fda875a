#!/bin/sh
# Summarize phase of the three-phase example: one task for the whole hierarchy.
# Reads the aggregate of every location in LOCATION_IDS (comma-separated) from
# AGGREGATE_DIR and writes their total to
# OUTPUT_FILE_PATH/summary_<location_hierarchy_id>.txt. Fails if any location's
# aggregate is missing.
#
# usage: sh summarize.sh --location_hierarchy_id N --location_ids 1,2,3 \
#            --aggregate_dir DIR --output_file_path DIR
set -eu

die() {
    echo "summarize.sh: $*" >&2
    exit 1
}

location_hierarchy_id=
location_ids=
aggregate_dir=
output_file_path=
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"
    case "$1" in
        --location_hierarchy_id) location_hierarchy_id=$2 ;;
        --location_ids) location_ids=$2 ;;
        --aggregate_dir) aggregate_dir=$2 ;;
        --output_file_path) output_file_path=$2 ;;
        *) die "unknown argument '$1'" ;;
    esac
    shift 2
done

case "$location_hierarchy_id" in '' | *[!0-9]*) die "--location_hierarchy_id '$location_hierarchy_id' is not a whole number" ;; esac
case "$location_ids" in '' | *[!0-9,]*) die "--location_ids '$location_ids' is not a comma-separated list of whole numbers" ;; esac
[ -n "$aggregate_dir" ] || die "--aggregate_dir is missing"
[ -n "$output_file_path" ] || die "--output_file_path is missing"

total=0
count=0
for location_id in $(echo "$location_ids" | tr ',' ' '); do
    input="$aggregate_dir/${location_id}.txt"
    [ -f "$input" ] || die "input $input does not exist: did aggregate_$location_id run?"
    value=$(cat "$input")
    case "$value" in '' | *[!0-9]*) die "input $input holds '$value', not a whole number" ;; esac
    total=$((total + value))
    count=$((count + 1))
done

mkdir -p "$output_file_path"
out="$output_file_path/summary_${location_hierarchy_id}.txt"
echo "$total" > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "summarize: $count locations of hierarchy $location_hierarchy_id -> $out ($total)"
