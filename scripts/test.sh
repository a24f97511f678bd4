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
# Totals over both builds, printed as the closing line.
PASSED=0
FAILED=0
run_ctest() {
  local log
  log=$(mktemp)
  local status=0
  ctest --test-dir "$1" --output-on-failure -j "$JOBS" 2>&1 | tee "$log" || status=$?
  local line total failed
  line=$(grep -E '[0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "ctest in $1 printed no summary" >&2
    return 1
  fi
  failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
  total=$(echo "$line" | sed -E 's/.* tests failed out of ([0-9]+).*/\1/')
  PASSED=$((PASSED + total - failed))
  FAILED=$((FAILED + failed))
  return $status
}

echo "== Release tests"
run_ctest build/release

echo "== ASan+UBSan build (clang, with fuzz targets)"
cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DTRAPEZOID_SANITIZE=ON -DTRAPEZOID_FUZZ=ON -DTRAPEZOID_BENCH=OFF \
  -DTRAPEZOID_SHARED_DIR="$TRAPEZOID_SHARED_DIR" >/dev/null
cmake --build build/sanitize -j "$JOBS"
echo "== Sanitized tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_ctest build/sanitize
unset ASAN_OPTIONS UBSAN_OPTIONS

echo "== Fuzzing (bounded)"
scripts/fuzz.sh build/sanitize

echo "tests: $PASSED passed, $FAILED failed"
