#!/usr/bin/env bash
# bench/run.sh: measures Tributary (RocksDB and --in-memory) and kinesalite in one run and prints a
# markdown table. For each server:
#   start-up   ms from exec to the first successful ListStreams (median of BENCH_STARTS starts;
#              Tributary/RocksDB gets a fresh, empty data directory each time)
#   idle RSS   VmRSS from /proc/PID/status after start-up, one CreateStream and 2 s idle
#   throughput DescribeStreamSummary req/s with loadgen at BENCH_CONNECTIONS keep-alive connections
#              (BENCH_DURATION_S s after BENCH_WARMUP_S s warm-up, median of BENCH_RUNS runs),
#              with p50/p99 latency of the median run
# The servers take turns within every phase (start 1 of each, then start 2 of each, ...; run 1 of
# each, then run 2 of each, ...), so load from elsewhere on the machine hits them alike.
# Everything listens on free ports of 127.0.0.1; every process started here is stopped on exit.
#
# Environment (all optional):
#   TRIBUTARY_BIN     server binary (default: build/tributary)
#   LOADGEN_BIN       load driver (default: build/bench/loadgen, else built into bench/.build/)
#   BENCH_SERVERS     subset of "tributary-rocksdb tributary-memory kinesalite"
#   BENCH_STARTS=5 BENCH_RUNS=3 BENCH_DURATION_S=10 BENCH_WARMUP_S=2 BENCH_CONNECTIONS=64
#   BENCH_LOADGEN_THREADS=1   client threads (the reference machine has 2 cores)
#   BENCH_OUTPUT      also write the markdown report to this file (default: bench/results/latest.md)
#   BENCH_SUITES      subset of "describe records" (default: both); "records" runs bench/run_records.sh
#                     after this script's own measurements (see that script for its knobs)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=$ROOT/bench
HELPER=(python3 "$BENCH_DIR/bench_helper.py")

TRIBUTARY_BIN=${TRIBUTARY_BIN:-$ROOT/build/tributary}
LOADGEN_BIN=${LOADGEN_BIN:-}
BENCH_SERVERS=${BENCH_SERVERS:-tributary-rocksdb tributary-memory kinesalite}
BENCH_STARTS=${BENCH_STARTS:-5}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_DURATION_S=${BENCH_DURATION_S:-10}
BENCH_WARMUP_S=${BENCH_WARMUP_S:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-64}
BENCH_LOADGEN_THREADS=${BENCH_LOADGEN_THREADS:-1}
BENCH_OUTPUT=${BENCH_OUTPUT:-$BENCH_DIR/results/latest.md}
BENCH_SUITES=${BENCH_SUITES:-describe records}
KINESALITE_CLI=$BENCH_DIR/node_modules/kinesalite/cli.js
STREAM=bench-stream

WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tributary-bench.XXXXXX")
declare -A SERVER_PID SERVER_PORT

log() { printf '[bench] %s\n' "$*" >&2; }

stop_server() {
  local name=$1 pid=${SERVER_PID[$1]:-}
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  unset "SERVER_PID[$name]"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local name
  for name in "${!SERVER_PID[@]}"; do stop_server "$name"; done
  # Helpers (start-up probes, loadgen) run in the foreground; stop any still running.
  local children=()
  mapfile -t children < <(jobs -p) || true
  if ((${#children[@]} > 0)); then kill -TERM "${children[@]}" 2>/dev/null || true; fi
  rm -rf "$WORK_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -----------------------------------------------------------------------------------

find_loadgen() {
  if [[ -n $LOADGEN_BIN ]]; then
    [[ -x $LOADGEN_BIN ]] || { log "LOADGEN_BIN=$LOADGEN_BIN is not executable"; exit 1; }
    return
  fi
  if [[ -x $ROOT/build/bench/loadgen && $ROOT/build/bench/loadgen -nt $BENCH_DIR/loadgen.cc ]]; then
    LOADGEN_BIN=$ROOT/build/bench/loadgen
    return
  fi
  LOADGEN_BIN=$BENCH_DIR/.build/loadgen
  if [[ ! -x $LOADGEN_BIN || $BENCH_DIR/loadgen.cc -nt $LOADGEN_BIN ]]; then
    log "building loadgen into bench/.build/"
    mkdir -p "$BENCH_DIR/.build"
    g++ -std=c++20 -O2 -DNDEBUG -Wall -Wextra -Wno-unused-parameter \
      -DBOOST_ASIO_NO_DEPRECATED -DBOOST_BEAST_USE_STD_STRING_VIEW \
      -o "$LOADGEN_BIN" "$BENCH_DIR/loadgen.cc" -lfmt -pthread
  fi
}

ensure_kinesalite() {
  [[ -f $KINESALITE_CLI ]] && return 0
  if command -v npm >/dev/null; then
    log "installing kinesalite into bench/node_modules"
    timeout 300 npm install --prefix "$BENCH_DIR" --no-audit --no-fund >&2 || return 1
  fi
  [[ -f $KINESALITE_CLI ]]
}

# --- servers -----------------------------------------------------------------------------------

# server_command NAME PORT -> fills the array SERVER_COMMAND; returns 1 if NAME cannot run here.
server_command() {
  local name=$1 port=$2
  case $name in
    tributary-rocksdb)
      [[ -x $TRIBUTARY_BIN ]] || return 1
      local data_dir
      data_dir=$(mktemp -d "$WORK_DIR/rocksdb.XXXXXX")
      SERVER_COMMAND=("$TRIBUTARY_BIN" --host 127.0.0.1 --port "$port" --data-dir "$data_dir"
        --create-stream-ms 0 --log-level warn)
      ;;
    tributary-memory)
      [[ -x $TRIBUTARY_BIN ]] || return 1
      SERVER_COMMAND=("$TRIBUTARY_BIN" --host 127.0.0.1 --port "$port" --in-memory
        --create-stream-ms 0 --log-level warn)
      ;;
    kinesalite)
      [[ -f $KINESALITE_CLI ]] || return 1
      SERVER_COMMAND=(node "$KINESALITE_CLI" --port "$port" --createStreamMs 0)
      ;;
    *)
      log "unknown server $name"
      return 1
      ;;
  esac
}

# A shell-quoted copy of a command line with the per-run parts (port, temp dir) made generic.
describe_command() {
  local text
  text=$(printf '%q ' "$@")
  text=${text% }
  text=$(sed -E -e "s#$WORK_DIR/rocksdb\.[A-Za-z0-9]+#DIR#g" -e "s#--port [0-9]+#--port PORT#" \
    -e "s#$WORK_DIR/tributary#${TRIBUTARY_DISPLAY_BIN:-tributary}#" -e "s#$ROOT/##g" <<<"$text")
  printf '%s' "$text"
}

wait_until_ready() {
  local name=$1 port=${SERVER_PORT[$1]} deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    kill -0 "${SERVER_PID[$name]}" 2>/dev/null || { log "$name exited during start-up"; return 1; }
    "${HELPER[@]}" call "$port" ListStreams >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  log "$name did not answer ListStreams within 30 s"
  return 1
}

wait_until_active() {
  local name=$1 port=${SERVER_PORT[$1]} description deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    description=$("${HELPER[@]}" call "$port" DescribeStreamSummary "{\"StreamName\":\"$STREAM\"}" \
      2>/dev/null) || true
    [[ $description == *'"ACTIVE"'* ]] && return 0
    sleep 0.05
  done
  log "$name: stream $STREAM did not become ACTIVE within 10 s"
  return 1
}

json_field() {  # json_field FILE EXPRESSION   (EXPRESSION indexes the parsed object `r`)
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# --- measurement -------------------------------------------------------------------------------

declare -A RESULT_STARTUP RESULT_RSS RESULT_RPS RESULT_P50 RESULT_P99 RESULT_ERRORS RESULT_COMMAND
declare -A RESULT_NOTE STARTUP_SAMPLES RATE_SAMPLES
ACTIVE_SERVERS=()  # the servers still being measured (none has failed yet)

# Drops a server from the remaining phases, recording why.
give_up() {
  local name=$1 reason=$2 kept=() other
  log "$name: $reason"
  RESULT_NOTE[$name]=$reason
  stop_server "$name"
  for other in "${ACTIVE_SERVERS[@]}"; do [[ $other == "$name" ]] || kept+=("$other"); done
  ACTIVE_SERVERS=("${kept[@]}")
}

check_availability() {
  local name port
  port=$("${HELPER[@]}" free-port)
  for name in $BENCH_SERVERS; do
    if server_command "$name" "$port"; then
      ACTIVE_SERVERS+=("$name")
      RESULT_COMMAND[$name]=$(describe_command "${SERVER_COMMAND[@]}")
    else
      case $name in
        tributary-*) RESULT_NOTE[$name]="not yet measured (no binary at ${TRIBUTARY_BIN#"$ROOT"/})" ;;
        kinesalite) RESULT_NOTE[$name]="not measured (kinesalite not installed)" ;;
        *) RESULT_NOTE[$name]="not measured (unknown server)" ;;
      esac
      log "$name: not available, skipped"
    fi
  done
}

# (a) Start-up: each start is a fresh process on a fresh port (and a fresh data directory).
measure_startups() {
  local attempt name port milliseconds samples
  for attempt in $(seq "$BENCH_STARTS"); do
    for name in "${ACTIVE_SERVERS[@]}"; do
      port=$("${HELPER[@]}" free-port)
      server_command "$name" "$port"
      if milliseconds=$(timeout --foreground 60 "${HELPER[@]}" startup "$port" -- "${SERVER_COMMAND[@]}"); then
        log "$name: start-up $attempt: $milliseconds ms"
        STARTUP_SAMPLES[$name]+="$milliseconds "
      else
        give_up "$name" "start-up failed"
      fi
    done
  done
  for name in "${ACTIVE_SERVERS[@]}"; do
    read -ra samples <<<"${STARTUP_SAMPLES[$name]}"
    RESULT_STARTUP[$name]=$("${HELPER[@]}" median "${samples[@]}")
  done
}

# (b) Idle RSS after start-up, one CreateStream and 2 s idle. The servers stay up for (c).
start_servers_and_measure_idle_memory() {
  local name port
  for name in "${ACTIVE_SERVERS[@]}"; do
    port=$("${HELPER[@]}" free-port)
    server_command "$name" "$port"
    "${SERVER_COMMAND[@]}" >"$WORK_DIR/$name.log" 2>&1 &
    SERVER_PID[$name]=$!
    SERVER_PORT[$name]=$port
  done
  for name in "${ACTIVE_SERVERS[@]}"; do
    wait_until_ready "$name" || { give_up "$name" "did not start"; continue; }
    "${HELPER[@]}" call "${SERVER_PORT[$name]}" CreateStream \
      "{\"StreamName\":\"$STREAM\",\"ShardCount\":1}" >/dev/null ||
      { give_up "$name" "CreateStream failed"; continue; }
    wait_until_active "$name" || give_up "$name" "stream never became ACTIVE"
  done
  sleep 2
  local rss_kib
  for name in "${ACTIVE_SERVERS[@]}"; do
    rss_kib=$("${HELPER[@]}" rss "${SERVER_PID[$name]}")
    RESULT_RSS[$name]=$(awk -v kib="$rss_kib" 'BEGIN { printf "%.1f", kib / 1024 }')
    log "$name: idle RSS ${RESULT_RSS[$name]} MiB"
  done
}

# (c) DescribeStreamSummary throughput, one server at a time, the others idle.
measure_throughput() {
  local run name report time_limit=$((BENCH_WARMUP_S + BENCH_DURATION_S + 30))
  for run in $(seq "$BENCH_RUNS"); do
    for name in "${ACTIVE_SERVERS[@]}"; do
      report=$WORK_DIR/$name.run$run.json
      if ! timeout --foreground "$time_limit" "$LOADGEN_BIN" --host 127.0.0.1 --port "${SERVER_PORT[$name]}" \
        --connections "$BENCH_CONNECTIONS" --threads "$BENCH_LOADGEN_THREADS" \
        --duration-s "$BENCH_DURATION_S" --warmup-s "$BENCH_WARMUP_S" \
        --target Kinesis_20131202.DescribeStreamSummary --body "{\"StreamName\":\"$STREAM\"}" \
        --json >"$report"; then
        give_up "$name" "loadgen failed (run $run)"
        continue
      fi
      RATE_SAMPLES[$name]+="$(json_field "$report" 'r["requests_per_second"]'):$run "
      RESULT_ERRORS[$name]=$((${RESULT_ERRORS[$name]:-0} + $(json_field "$report" 'r["errors"]')))
    done
  done
  # The run with the median rate supplies the latency figures.
  local median_run
  for name in "${ACTIVE_SERVERS[@]}"; do
    median_run=$(tr ' ' '\n' <<<"${RATE_SAMPLES[$name]}" | sed '/^$/d' | sort -t: -k1,1n |
      sed -n "$(((BENCH_RUNS + 1) / 2))p" | cut -d: -f2)
    report=$WORK_DIR/$name.run$median_run.json
    RESULT_RPS[$name]=$(json_field "$report" 'round(r["requests_per_second"])')
    RESULT_P50[$name]=$(json_field "$report" '"%.2f" % r["latency_ms"]["p50"]')
    RESULT_P99[$name]=$(json_field "$report" '"%.2f" % r["latency_ms"]["p99"]')
    RESULT_ALL_RATES[$name]=$(tr ' ' '\n' <<<"${RATE_SAMPLES[$name]}" | sed '/^$/d' |
      cut -d: -f1 | awk '{ printf "%s%.0f", (NR > 1 ? ", " : ""), $1 }')
  done
}

# --- main --------------------------------------------------------------------------------------

if [[ " $BENCH_SUITES " == *" describe "* ]]; then
find_loadgen
if [[ " $BENCH_SERVERS " == *" kinesalite "* ]]; then
  ensure_kinesalite || log "kinesalite is not installed and could not be (npm install --prefix bench)"
fi
TRIBUTARY_ORIGIN=
if [[ -x $TRIBUTARY_BIN ]]; then
  # Measure a private copy, so a rebuild during the run cannot mix two binaries.
  TRIBUTARY_ORIGIN="${TRIBUTARY_BIN#"$ROOT"/}, sha256 $(sha256sum "$TRIBUTARY_BIN" | cut -c1-12)"
  if git -C "$ROOT" rev-parse --verify -q HEAD >/dev/null; then
    TRIBUTARY_ORIGIN+=", built at $(date -u -r "$TRIBUTARY_BIN" '+%H:%M UTC'); git HEAD"
    TRIBUTARY_ORIGIN+=" $(git -C "$ROOT" rev-parse --short HEAD)"
    [[ -n $(git -C "$ROOT" status --porcelain -- src 2>/dev/null) ]] &&
      TRIBUTARY_ORIGIN+=" with uncommitted changes in src/"
  fi
  cp "$TRIBUTARY_BIN" "$WORK_DIR/tributary"
  TRIBUTARY_DISPLAY_BIN=$TRIBUTARY_BIN
  TRIBUTARY_BIN=$WORK_DIR/tributary
else
  log "no Tributary binary at $TRIBUTARY_BIN (build it first: make build)"
fi

started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v load="${load_before%% *}" -v cpus="$(nproc)" 'BEGIN { exit !(load > cpus / 4) }'; then
  log "load average is $load_before before starting: other work on this machine makes the numbers noisy"
fi
declare -A RESULT_ALL_RATES
check_availability
measure_startups
start_servers_and_measure_idle_memory
measure_throughput
for server in "${!SERVER_PID[@]}"; do stop_server "$server"; done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
kinesalite_version=$(sed -n 's/^ *"version": "\(.*\)",/\1/p' \
  "$BENCH_DIR/node_modules/kinesalite/package.json" 2>/dev/null | head -1)
report() {
  echo "Measured $started_at on $(nproc) CPUs ($cpu_model), $(uname -sr);" \
    "load average $load_before before, $load_after after."
  [[ -n $TRIBUTARY_ORIGIN ]] && echo "Tributary: $TRIBUTARY_ORIGIN."
  echo "loadgen: $BENCH_CONNECTIONS connections, $BENCH_LOADGEN_THREADS thread(s)," \
    "${BENCH_WARMUP_S} s warm-up + ${BENCH_DURATION_S} s per run, median of $BENCH_RUNS runs;" \
    "start-up: median of $BENCH_STARTS starts."
  echo
  echo "| Server | Start-up to first ListStreams (ms) | Idle RSS (MiB) |" \
    "DescribeStreamSummary req/s | p50 (ms) | p99 (ms) | Errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  local label
  for server in $BENCH_SERVERS; do
    case $server in
      tributary-rocksdb) label="Tributary (RocksDB)" ;;
      tributary-memory) label="Tributary (--in-memory)" ;;
      kinesalite) label="kinesalite ${kinesalite_version} (Node $(node --version 2>/dev/null))" ;;
      *) label=$server ;;
    esac
    if [[ -z ${RESULT_STARTUP[$server]:-} ]]; then
      echo "| $label | ${RESULT_NOTE[$server]:-not measured} | | | | | |"
    else
      echo "| $label | ${RESULT_STARTUP[$server]} | ${RESULT_RSS[$server]:-} |" \
        "${RESULT_RPS[$server]:-} | ${RESULT_P50[$server]:-} | ${RESULT_P99[$server]:-} |" \
        "${RESULT_ERRORS[$server]:-} |"
    fi
  done
  echo
  for server in $BENCH_SERVERS; do
    [[ -n ${RESULT_ALL_RATES[$server]:-} ]] &&
      echo "- $server: req/s of each run: ${RESULT_ALL_RATES[$server]}"
    [[ -n ${RESULT_STARTUP[$server]:-} && -n ${RESULT_NOTE[$server]:-} ]] &&
      echo "- $server: ${RESULT_NOTE[$server]}"
    [[ -n ${STARTUP_SAMPLES[$server]:-} ]] &&
      echo "- $server: start-up ms of each start: $(sed -E 's/ $//; s/ /, /g' <<<"${STARTUP_SAMPLES[$server]}")"
  done
  echo
  echo "Server command lines:"
  echo
  for server in $BENCH_SERVERS; do
    [[ -n ${RESULT_COMMAND[$server]:-} ]] && echo "- $server: \`${RESULT_COMMAND[$server]}\`"
  done
  return 0
}

mkdir -p "$(dirname "$BENCH_OUTPUT")"
report | tee "$BENCH_OUTPUT"
log "report written to $BENCH_OUTPUT"
fi

if [[ " $BENCH_SUITES " == *" records "* ]]; then
  # Its own report goes to bench/results/records-latest.md. BENCH_OUTPUT names this script's.
  env -u BENCH_OUTPUT "$BENCH_DIR/run_records.sh"
fi
