#!/usr/bin/env bash
# Runs libFuzzer targets one after the other for a set time each and writes a report: what
# `make fuzz` does (tests/fuzz/README.md).
#   tests/fuzz/run_fuzz.sh BUILD_DIR SECONDS LOG TARGET...
# With FUZZ_RUNS=N in the environment, each target stops after N executions (libFuzzer's -runs)
# or SECONDS, whichever comes first: `make fuzz FUZZ_RUNS=10000000 FUZZ_SECONDS=...`.
# Each target runs on BUILD_DIR/corpus/<target> (a copy of tests/fuzz/corpus/<target>, so the
# inputs libFuzzer adds stay out of the tree) with its output in BUILD_DIR/fuzz-<target>.log and
# its crashes in BUILD_DIR/crashes/<target>/. The report line per target gives the executions,
# the corpus size at the end and the number of crashing inputs. Exits 1 if any target crashed.
set -uo pipefail
build_dir=$1 seconds=$2 log=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$build_dir/corpus" "$(dirname "$log")"
declare -A max_len=([wal]=70000 [cbor]=4096 [eventstream]=4096 [expression]=8192 [partiql]=8192
                    [json]=8192 [values]=4096 [tokens]=1024 [http1]=16384 [http2]=16384)
status=0
{
  echo "# make fuzz $(date -u +%Y-%m-%dT%H:%M:%SZ), $seconds s per target${FUZZ_RUNS:+ or $FUZZ_RUNS executions}, $(git -C "$here" rev-parse --short HEAD 2>/dev/null)"
  printf '%-12s %14s %8s %8s %s\n' target executions exec/s crashes corpus
} >"$log"
for target in "$@"; do
  binary="$build_dir/${target}_fuzz"
  corpus="$build_dir/corpus/$target"
  crashes="$build_dir/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  cp -n "$here/corpus/$target/"* "$corpus/" 2>/dev/null || true
  out="$build_dir/fuzz-$target.log"
  # After a crash, start again for the time left (at most 20 times), so that one bug does not
  # end the run; executions are summed over the runs (libFuzzer's final stats).
  : >"$out"
  stamp="$build_dir/.fuzz-start-$target"
  touch "$stamp"
  deadline=$((SECONDS + seconds))
  executions=0 per_second=0 runs=0
  count_executions() {
    grep -aoE '^stat::number_of_executed_units: *[0-9]+' "$out" | awk '{s+=$2} END {print s+0}'
  }
  while ((SECONDS < deadline && runs < 20)); do
    runs=$((runs + 1))
    limit=()
    if [[ -n "${FUZZ_RUNS:-}" ]]; then
      left=$((FUZZ_RUNS - $(count_executions)))
      ((left > 0)) || break
      limit=(-runs="$left")
    fi
    "$binary" "$corpus" -max_total_time=$((deadline - SECONDS)) "${limit[@]}" \
      -max_len="${max_len[$target]:-4096}" -artifact_prefix="$crashes/" -print_final_stats=1 \
      >>"$out" 2>&1 && break
  done
  executions=$(count_executions)
  per_second=$(grep -aoE '^stat::average_exec_per_sec: *[0-9]+' "$out" | awk '{print $2}' | tail -1)
  # Only this run's findings (earlier ones stay in the directory).
  found=$(find "$crashes" -type f -newer "$stamp" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  size=$(find "$corpus" -type f | wc -l)
  printf '%-12s %14s %8s %8s %s\n' "$target" "${executions:-?}" "${per_second:-?}" "$found" "$size" >>"$log"
  ((found == 0)) || status=1
done
cat "$log"
exit $status
