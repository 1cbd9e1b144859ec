#!/bin/sh
# Provenance engine: 1 million records against 100,000 arrivals, permutation
# test (1,000 shifts) included, on one core. Goal: under 2 seconds in all.
# The driver is built with the project (build/provenance_bench).
#   usage: bench/provenance.sh [path/to/shiptrace]
set -eu
ST=${1:-build/shiptrace}
B=$(dirname "$ST")/provenance_bench
[ -x "$B" ] || { echo "provenance: $B not built" >&2; exit 1; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
taskset -c 0 "$B" 1000000 100000 1000
