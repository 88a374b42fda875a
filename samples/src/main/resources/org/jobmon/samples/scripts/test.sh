#!/bin/sh
# The workflow template example's script (the seed runs test_scripts/test.py):
# prints the two args it is given.
#
# usage: sh test.sh --args1 VALUE --args2 VALUE
set -eu

die() {
    echo "test.sh: $*" >&2
    exit 1
}

args1=
args2=
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"
    case "$1" in
        --args1) args1=$2 ;;
        --args2) args2=$2 ;;
        *) die "unknown argument '$1'" ;;
    esac
    shift 2
done
[ -n "$args1" ] || die "--args1 is missing"
[ -n "$args2" ] || die "--args2 is missing"

echo "test.sh ran with --args1 $args1 --args2 $args2 on $(hostname 2>/dev/null || echo this machine)"
