#!/bin/sh
# Transform phase of the three-phase example: one task per (location, sex).
# Writes OUTPUT_FILE_PATH/<location_id>_<sex_id>.txt holding one number,
# location_id * 10 + sex_id, so that later phases have something to add up.
#
# usage: sh transform.sh --location_id N --sex_id N --output_file_path DIR
set -eu

die() {
    echo "transform.sh: $*" >&2
    exit 1
}

location_id=
sex_id=
output_file_path=
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"
    case "$1" in
        --location_id) location_id=$2 ;;
        --sex_id) sex_id=$2 ;;
        --output_file_path) output_file_path=$2 ;;
        *) die "unknown argument '$1'" ;;
    esac
    shift 2
done

case "$location_id" in '' | *[!0-9]*) die "--location_id '$location_id' is not a whole number" ;; esac
case "$sex_id" in '' | *[!0-9]*) die "--sex_id '$sex_id' is not a whole number" ;; esac
[ -n "$output_file_path" ] || die "--output_file_path is missing"

mkdir -p "$output_file_path"
out="$output_file_path/${location_id}_${sex_id}.txt"
# Write to a temporary file and rename it, so no reader ever sees half a file.
echo $((location_id * 10 + sex_id)) > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "transform: location $location_id, sex $sex_id -> $out"
