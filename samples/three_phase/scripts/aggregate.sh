#!/bin/sh
# Aggregate phase of the three-phase example: one task per location.
# Reads the location's two transform outputs (sex 1 and 2) from TRANSFORM_DIR
# and writes their sum to OUTPUT_FILE_PATH/<location_id>.txt. Fails if either
# input is missing, which would mean the DAG ran this task too early.
#
# usage: sh aggregate.sh --location_id N --transform_dir DIR --output_file_path DIR
set -eu

die() {
    echo "aggregate.sh: $*" >&2
    exit 1
}

location_id=
transform_dir=
output_file_path=
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"
    case "$1" in
        --location_id) location_id=$2 ;;
        --transform_dir) transform_dir=$2 ;;
        --output_file_path) output_file_path=$2 ;;
        *) die "unknown argument '$1'" ;;
    esac
    shift 2
done

case "$location_id" in '' | *[!0-9]*) die "--location_id '$location_id' is not a whole number" ;; esac
[ -n "$transform_dir" ] || die "--transform_dir is missing"
[ -n "$output_file_path" ] || die "--output_file_path is missing"

# Prints the number in file $1, or dies naming the file.
read_number() {
    [ -f "$1" ] || die "input $1 does not exist: did its transform task run?"
    value=$(cat "$1")
    case "$value" in '' | *[!0-9]*) die "input $1 holds '$value', not a whole number" ;; esac
    echo "$value"
}

total=0
for sex_id in 1 2; do
    value=$(read_number "$transform_dir/${location_id}_${sex_id}.txt")
    total=$((total + value))
done

mkdir -p "$output_file_path"
out="$output_file_path/${location_id}.txt"
echo "$total" > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "aggregate: location $location_id -> $out ($total)"
