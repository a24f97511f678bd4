#!/usr/bin/env bash
# Builds (when needed) and runs each libFuzzer target of fuzz/ for a bounded time.
#
#   scripts/fuzz.sh [BUILD_DIR] [TARGET...]
#
#   BUILD_DIR  a build tree configured with -DTRAPEZOID_FUZZ=ON (default: build-fuzz in the
#              checkout; configured here with clang, ASan + UBSan when it does not exist yet)
#   TARGET     parser_fuzz, stream_fuzz, header_fuzz (default: all three)
#
# Environment:
#   FUZZ_SECONDS          time per target (default 60)
#   FUZZ_MAX_LEN          largest input libFuzzer generates (default 8192)
#   TRAPEZOID_SHARED_DIR  the shared data directory (default: ../shared beside the checkout);
#                         its conformance messages are read in place as extra seeds
#
# New inputs go to BUILD_DIR/fuzz-corpus/TARGET (the first corpus directory, kept between
# runs); crash, leak, timeout and out-of-memory reproducers to BUILD_DIR/fuzz-artifacts/TARGET,
# full logs to BUILD_DIR/fuzz-logs/TARGET.log. Exits non-zero when any target finds a crash, a
# leak, a timeout, an out-of-memory or a sanitizer report.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$repo/build-fuzz}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(parser_fuzz stream_fuzz header_fuzz)
fi
seconds=${FUZZ_SECONDS:-60}
max_len=${FUZZ_MAX_LEN:-8192}
shared=${TRAPEZOID_SHARED_DIR:-$repo/../shared}

die() {
  echo "fuzz.sh: $*" >&2
  exit 2
}

[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || die "FUZZ_SECONDS must be a positive integer"
[[ $max_len =~ ^[0-9]+$ && $max_len -gt 0 ]] || die "FUZZ_MAX_LEN must be a positive integer"

# --- Configure and build ------------------------------------------------------------------
if [[ ! -f $build/CMakeCache.txt ]]; then
  echo "== configuring $build"
  cmake -S "$repo" -B "$build" -G Ninja \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTRAPEZOID_FUZZ=ON -DTRAPEZOID_SANITIZE=ON -DTRAPEZOID_BENCH=OFF
fi
grep -q '^TRAPEZOID_FUZZ:BOOL=ON$' "$build/CMakeCache.txt" ||
  die "$build is not configured with -DTRAPEZOID_FUZZ=ON"
grep -q '^TRAPEZOID_SANITIZE:BOOL=ON$' "$build/CMakeCache.txt" ||
  echo "fuzz.sh: warning: $build has no sanitizers (-DTRAPEZOID_SANITIZE=ON); only crashes and checks are caught" >&2

echo "== building ${targets[*]}"
cmake --build "$build" --target "${targets[@]}"

# --- Seed directories -----------------------------------------------------------------------
# Read in place: the conformance data is never copied into the build or the repository.
shared_seeds=()
if [[ -d $shared/conformance ]]; then
  for dir in "$shared/conformance/rfc4475" "$shared/conformance/rfc5118" \
             "$shared/conformance/external"/*/; do
    [[ -d $dir ]] && shared_seeds+=("${dir%/}")
  done
else
  echo "fuzz.sh: warning: no conformance data at $shared/conformance; using fuzz/corpus only" >&2
fi

# Sanitizer settings; a caller's own ASAN_OPTIONS / UBSAN_OPTIONS come last and win.
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# What a libFuzzer log says when something went wrong.
failure_pattern='ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|FUZZ_CHECK failed|==[0-9]+== ?ERROR|SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer|ALARM: working on the last Unit'

# Prints the value of libFuzzer's final statistic `name` from a log, or "?".
final_stat() {
  local value
  value=$(grep -E "^stat::$1:" "$2" | tail -n 1 | awk '{print $2}') || true
  echo "${value:-?}"
}

# --- Run --------------------------------------------------------------------------------------
summaries=()
failed=0
for target in "${targets[@]}"; do
  binary="$build/fuzz/$target"
  [[ -x $binary ]] || die "$binary was not built"
  name=${target%_fuzz}
  corpus="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts/$target"
  log="$build/fuzz-logs/$target.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  seeds=()
  [[ -d $repo/fuzz/corpus/$name ]] && seeds+=("$repo/fuzz/corpus/$name")
  seeds+=("${shared_seeds[@]}")

  # Reproducers from an earlier run stay where they are; only new ones count as findings.
  marker=$(mktemp)
  echo "== $target: ${seconds}s (log: $log)"
  status=0
  "$binary" \
    -max_total_time="$seconds" \
    -max_len="$max_len" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -dict="$repo/fuzz/sip.dict" \
    -artifact_prefix="$artifacts/" \
    -print_final_stats=1 \
    "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?

  new_artifacts=$(find "$artifacts" -type f -newer "$marker" ! -name 'slow-unit-*' | sort)
  rm -f "$marker"
  reported=""
  if grep -qE "$failure_pattern" "$log"; then
    reported=$(grep -m 1 -E "$failure_pattern" "$log")
  fi

  runs=$(final_stat number_of_executed_units "$log")
  speed=$(final_stat average_exec_per_sec "$log")
  added=$(final_stat new_units_added "$log")
  rss=$(final_stat peak_rss_mb "$log")
  progress=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1) || true
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$progress")
  features=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$progress")
  units=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$progress")

  if [[ $status -ne 0 || -n $new_artifacts || -n $reported ]]; then
    failed=1
    verdict="FAILED (exit $status)"
    echo "---- $target: last lines of $log" >&2
    tail -n 40 "$log" >&2
    [[ -n $reported ]] && echo "first report: $reported" >&2
    while IFS= read -r artifact; do
      [[ -n $artifact ]] && echo "reproducer: $artifact" >&2
    done <<<"$new_artifacts"
  else
    verdict="ok"
  fi
  summaries+=("$(printf '%-12s %-18s runs=%s exec/s=%s cov=%s ft=%s corpus=%s new=%s rss=%sMb' \
    "$target" "$verdict" "$runs" "$speed" "${cov:-?}" "${features:-?}" "${units:-?}" "$added" "$rss")")
done

echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summaries[@]}"
exit "$failed"
