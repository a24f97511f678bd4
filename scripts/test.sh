#!/usr/bin/env bash
# Builds Trapezoid and runs the whole test suite:
#   1. a Release build (gcc): unit, conformance and integration tests;
#   2. an ASan+UBSan build (clang) of the same tests, plus the libFuzzer targets, each run for a
#      bounded time (FUZZ_SECONDS, default 60).
# Installs missing Debian packages first. Exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
export TRAPEZOID_SHARED_DIR="${TRAPEZOID_SHARED_DIR:-$ROOT/../shared}"
JOBS=$(nproc)

scripts/deps.sh

echo "== Release build (gcc)"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DTRAPEZOID_SHARED_DIR="$TRAPEZOID_SHARED_DIR" >/dev/null
cmake --build build/release -j "$JOBS"
echo "== Release tests"
ctest --test-dir build/release --output-on-failure -j "$JOBS"

echo "== ASan+UBSan build (clang, with fuzz targets)"
cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DTRAPEZOID_SANITIZE=ON -DTRAPEZOID_FUZZ=ON -DTRAPEZOID_BENCH=OFF \
  -DTRAPEZOID_SHARED_DIR="$TRAPEZOID_SHARED_DIR" >/dev/null
cmake --build build/sanitize -j "$JOBS"
echo "== Sanitized tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/sanitize --output-on-failure -j "$JOBS"

echo "== Fuzzing (bounded)"
scripts/fuzz.sh build/sanitize
