#!/usr/bin/env bash
# Builds Trapezoid (Release) and runs the `trapezoid` binary with the given arguments.
# With no arguments it starts the server on its defaults (`trapezoid serve`: UDP and TCP on
# 127.0.0.1:5060, registrations in ./trapezoid-data); `scripts/run.sh lint FILE...` checks
# captured messages, `scripts/run.sh --help` lists the subcommands.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)" --target trapezoid
if [ $# -eq 0 ]; then set -- serve; fi
exec build/release/apps/trapezoid/trapezoid "$@"
