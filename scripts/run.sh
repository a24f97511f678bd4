#!/usr/bin/env bash
# Builds Trapezoid (Release) and runs the `trapezoid` binary with the given arguments.
# With no arguments it shows the help; `scripts/run.sh lint FILE...` checks captured messages.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)" --target trapezoid
if [ $# -eq 0 ]; then set -- --help; fi
exec build/release/apps/trapezoid/trapezoid "$@"
