#!/bin/sh
# The retry example's script (the seed runs tests/remote_sleep_and_write.py):
# fails its first FAIL_COUNT runs, then writes OUTPUT_FILE_PATH. It remembers
# how often it ran in the file COUNTER, so each retry of the task sees the
# attempts before it.
#
# usage: sh fail_then_write.sh --fail_count N --counter FILE --output_file_path FILE --name NAME
set -eu

die() {
    echo "fail_then_write.sh: $*" >&2
    exit 1
}

fail_count=
counter=
output_file_path=
name=
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"
    case "$1" in
        --fail_count) fail_count=$2 ;;
        --counter) counter=$2 ;;
        --output_file_path) output_file_path=$2 ;;
        --name) name=$2 ;;
        *) die "unknown argument '$1'" ;;
    esac
    shift 2
done
case "$fail_count" in '' | *[!0-9]*) die "--fail_count '$fail_count' is not a whole number" ;; esac
[ -n "$counter" ] || die "--counter is missing"
[ -n "$output_file_path" ] || die "--output_file_path is missing"
[ -n "$name" ] || die "--name is missing"

runs=0
if [ -f "$counter" ]; then
    runs=$(cat "$counter")
    case "$runs" in '' | *[!0-9]*) die "counter $counter holds '$runs', not a whole number" ;; esac
fi
runs=$((runs + 1))
echo "$runs" > "$counter"

if [ "$runs" -le "$fail_count" ]; then
    echo "$name: run $runs of $((fail_count + 1)) fails on purpose" >&2
    exit 1
fi
echo "$name succeeded on run $runs" > "$output_file_path"
echo "$name: run $runs succeeded, wrote $output_file_path"
