#!/bin/sh
# Runs every benchmark in bench/ (each bench/<name>.sh takes the shiptrace
# binary as its argument) one after another. `make bench` calls it.
#   usage: bench/run-all.sh [path/to/shiptrace]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ST=${1:-$HERE/../build/shiptrace}
case "$ST" in /*) ;; *) ST=$(pwd)/$ST ;; esac
fail=0
for b in "$HERE"/*.sh; do
	[ "$(basename "$b")" = run-all.sh ] && continue
	echo "== $(basename "$b" .sh)"
	sh "$b" "$ST" || { echo "bench $(basename "$b"): failed" >&2; fail=1; }
done
exit $fail
