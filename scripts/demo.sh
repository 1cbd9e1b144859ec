#!/bin/sh
# The main job. Until the bundled simulated case exists this decodes a real
# AIS sample (Danish Maritime Authority receiver stream, with $PGHP receive
# times) and prints its statistics.
set -eu
ST=${1:-build/shiptrace}
SHARED=$(cd "$(dirname "$0")/.." && pwd)/../shared/data
"$ST" decode --stats "$SHARED/ais/dma-aislib-stream_example.txt" > /dev/null
