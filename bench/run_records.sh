#!/usr/bin/env bash
# bench/run_records.sh: the records benchmark. Measures PutRecord, PutRecords and a GetRecords drain
# on Tributary (RocksDB, --in-memory, and RocksDB with --sync-writes when the build has it),
# kinesalite and kinesis-local (kinesis-mock's Node.js build), and prints a markdown report.
#
#   PutRecord    100 B records, random partition keys, stream of 4 shards; 16 and 64 connections
#   PutRecords   500 x 100 B and 500 x 1 KiB per request, 16 connections
#       each run: a fresh server and stream, BENCH_WARMUP_S s warm-up, BENCH_DURATION_S s measured;
#       median of BENCH_RUNS runs (the servers and phases take turns: run 1 of everything, then
#       run 2, ...), with the latency of the median run
#   Drain        a fresh server; PutRecords (500 x 100 B, 16 connections) fills BENCH_FILL_RECORDS
#                records into 4 shards; RSS after the fill (and 2 s idle); then BENCH_RUNS drains,
#                each 4 connections, one per shard, GetShardIterator TRIM_HORIZON then GetRecords
#                (Limit 10000) until an empty answer with MillisBehindLatest 0; median records/s
#   Growth       (phase "growth", not in the default list) a fresh server per Tributary flavour;
#                BENCH_GROWTH_STEPS windows, each PutRecords (500 x 100 B, 16 connections) of
#                BENCH_GROWTH_STEP_RECORDS more records into the same 4-shard stream; records/s,
#                RSS and data-directory size after each window, and the time of one GetRecords
#                (Limit 1000) at the newest window's start (a seek into the whole stream)
# kinesis-local is far slower than the others (see bench/README.md): its PutRecords runs are a
# fixed job (BENCH_SLOW_PUT_RECORDS_REQUESTS requests over 16 connections, timed from the first
# request to the last answer) instead of a timed window, and it is filled with
# BENCH_FILL_RECORDS_KINESIS_LOCAL records only.
#
# Environment (all optional):
#   TRIBUTARY_BIN, LOADGEN_BIN      as for run.sh
#   BENCH_SERVERS    subset of "tributary-rocksdb tributary-memory tributary-durable kinesalite
#                    kinesis-local" (default: all)
#   BENCH_RUNS=3 BENCH_DURATION_S=10 BENCH_WARMUP_S=2 BENCH_LOADGEN_THREADS=1
#   BENCH_FILL_RECORDS=1000000 BENCH_FILL_RECORDS_KINESALITE=1000000
#   BENCH_FILL_RECORDS_KINESIS_LOCAL=10000 BENCH_SLOW_PUT_RECORDS_REQUESTS=16
#   BENCH_PHASES     subset of "put-record-16 put-record-64 put-records-100 put-records-1k drain
#                    growth" (default: all but growth)
#   BENCH_GROWTH_STEPS=10 BENCH_GROWTH_STEP_RECORDS=1000000
#   BENCH_OUTPUT     default: bench/results/records-latest.md
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=$ROOT/bench
HELPER=(python3 "$BENCH_DIR/bench_helper.py")

TRIBUTARY_BIN=${TRIBUTARY_BIN:-$ROOT/build/tributary}
LOADGEN_BIN=${LOADGEN_BIN:-}
BENCH_SERVERS=${BENCH_SERVERS:-tributary-rocksdb tributary-memory tributary-durable kinesalite kinesis-local}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_DURATION_S=${BENCH_DURATION_S:-10}
BENCH_WARMUP_S=${BENCH_WARMUP_S:-2}
BENCH_LOADGEN_THREADS=${BENCH_LOADGEN_THREADS:-1}
BENCH_FILL_RECORDS=${BENCH_FILL_RECORDS:-1000000}
BENCH_FILL_RECORDS_KINESALITE=${BENCH_FILL_RECORDS_KINESALITE:-1000000}
BENCH_FILL_RECORDS_KINESIS_LOCAL=${BENCH_FILL_RECORDS_KINESIS_LOCAL:-10000}
BENCH_SLOW_PUT_RECORDS_REQUESTS=${BENCH_SLOW_PUT_RECORDS_REQUESTS:-16}
BENCH_PHASES=${BENCH_PHASES:-put-record-16 put-record-64 put-records-100 put-records-1k drain}
BENCH_GROWTH_STEPS=${BENCH_GROWTH_STEPS:-10}
BENCH_GROWTH_STEP_RECORDS=${BENCH_GROWTH_STEP_RECORDS:-1000000}
BENCH_OUTPUT=${BENCH_OUTPUT:-$BENCH_DIR/results/records-latest.md}
KINESALITE_CLI=$BENCH_DIR/node_modules/kinesalite/cli.js
KINESIS_LOCAL_DIR=$BENCH_DIR/node_modules/kinesis-local
STREAM=bench-stream
SHARDS=4
FILL_BATCH=500

WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tributary-bench-records.XXXXXX")
SERVER_PID=
SERVER_PORT=

log() { printf '[bench-records] %s\n' "$*" >&2; }

stop_server() {
  local pid=$SERVER_PID
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  SERVER_PID=
  rm -rf "$WORK_DIR"/data.* 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_server
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
      -o "$LOADGEN_BIN" "$BENCH_DIR/loadgen.cc" -lboost_system -lfmt -pthread
  fi
}

ensure_peers() {
  [[ -f $KINESALITE_CLI && -f $KINESIS_LOCAL_DIR/main.js ]] && return 0
  if command -v npm >/dev/null; then
    log "installing the peers into bench/node_modules"
    timeout 300 npm install --prefix "$BENCH_DIR" --no-audit --no-fund >&2 || return 1
  fi
}

json_field() {  # json_field FILE EXPRESSION   (EXPRESSION indexes the parsed object `r`)
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# --- servers -----------------------------------------------------------------------------------

SYNC_WRITES_FLAG=
tributary_has_sync_writes() {
  [[ -x $TRIBUTARY_BIN ]] && "$TRIBUTARY_BIN" --help 2>/dev/null | grep -q -- '--sync-writes'
}

# server_command NAME PORT -> fills SERVER_COMMAND (and SERVER_ENV); returns 1 if NAME cannot run.
server_command() {
  local name=$1 port=$2 data_dir
  SERVER_ENV=()
  case $name in
    tributary-rocksdb | tributary-durable)
      [[ -x $TRIBUTARY_BIN ]] || return 1
      if [[ $name == tributary-durable && -z $SYNC_WRITES_FLAG ]]; then return 1; fi
      data_dir=$(mktemp -d "$WORK_DIR/data.XXXXXX")
      SERVER_COMMAND=("$TRIBUTARY_BIN" --host 127.0.0.1 --port "$port" --data-dir "$data_dir"
        --create-stream-ms 0 --log-level warn)
      if [[ $name == tributary-durable ]]; then SERVER_COMMAND+=("$SYNC_WRITES_FLAG"); fi
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
    kinesis-local)
      [[ -f $KINESIS_LOCAL_DIR/main.js ]] || return 1
      # It also opens a TLS port; both listen on every interface (it has no host setting).
      SERVER_ENV=(KINESIS_MOCK_PLAIN_PORT="$port" KINESIS_MOCK_TLS_PORT="$("${HELPER[@]}" free-port)"
        KINESIS_MOCK_CERT_PATH="$KINESIS_LOCAL_DIR/server.json" CREATE_STREAM_DURATION=0ms
        LOG_LEVEL=WARN)
      SERVER_COMMAND=(node "$KINESIS_LOCAL_DIR/main.js")
      ;;
    *) return 1 ;;
  esac
}

describe_command() {
  local text
  text=$(printf '%q ' "${SERVER_ENV[@]}" "${SERVER_COMMAND[@]}")
  text=${text% }
  sed -E -e "s#$WORK_DIR/data\.[A-Za-z0-9]+#DIR#g" -e "s#--port [0-9]+#--port PORT#" \
    -e "s#PORT=[0-9]+#PORT=PORT#g" -e "s#$WORK_DIR/tributary#${TRIBUTARY_DISPLAY_BIN:-tributary}#" \
    -e "s#$ROOT/##g" <<<"$text"
}

# Starts NAME with a stream of $SHARDS shards; sets SERVER_PID and SERVER_PORT.
start_server() {
  local name=$1 port deadline description
  port=$("${HELPER[@]}" free-port)
  server_command "$name" "$port" || return 1
  env "${SERVER_ENV[@]}" "${SERVER_COMMAND[@]}" >"$WORK_DIR/$name.log" 2>&1 &
  SERVER_PID=$!
  SERVER_PORT=$port
  deadline=$((SECONDS + 60))
  until "${HELPER[@]}" call "$port" ListStreams >/dev/null 2>&1; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "$name exited during start-up"; return 1; }
    ((SECONDS < deadline)) || { log "$name did not answer within 60 s"; return 1; }
    sleep 0.05
  done
  "${HELPER[@]}" call "$port" CreateStream "{\"StreamName\":\"$STREAM\",\"ShardCount\":$SHARDS}" \
    >/dev/null || { log "$name: CreateStream failed"; return 1; }
  deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    description=$("${HELPER[@]}" call "$port" DescribeStreamSummary \
      "{\"StreamName\":\"$STREAM\"}" 2>/dev/null) || true
    [[ $description == *'"ACTIVE"'* ]] && return 0
    sleep 0.05
  done
  log "$name: stream never became ACTIVE"
  return 1
}

loadgen() {  # loadgen REPORT TIME_LIMIT ARGS...
  local report=$1 limit=$2
  shift 2
  timeout --foreground "$limit" "$LOADGEN_BIN" --host 127.0.0.1 --port "$SERVER_PORT" \
    --threads "$BENCH_LOADGEN_THREADS" --stream "$STREAM" --json "$@" >"$report" \
    2>>"$WORK_DIR/loadgen.stderr"
}

# --- measurement -------------------------------------------------------------------------------

declare -A SAMPLES ERRORS ERROR_KINDS NOTE FILLED FILL_RATE RSS COMMAND

note_errors() {  # note_errors KEY RUN REPORT: remembers what kind of errors a run had
  local kinds
  kinds=$(json_field "$3" '", ".join(["status %s: %s" % kv for kv in r["errors_by_status"].items()] + ["%s: %s" % kv for kv in r["transport_errors"].items()])')
  [[ -z $kinds ]] || ERROR_KINDS[$1]+="run $2: $kinds; "
}
# SAMPLES[server.phase] = "value:reportfile ..."

phase_arguments() {  # phase_arguments SERVER PHASE -> PHASE_ARGS
  local server=$1 phase=$2
  local window=(--warmup-s "$BENCH_WARMUP_S" --duration-s "$BENCH_DURATION_S")
  if [[ $server == kinesis-local && $phase == put-records-* ]]; then
    window=(--warmup-s 0 --duration-s 600 --timeout-ms 600000
      --total-requests "$BENCH_SLOW_PUT_RECORDS_REQUESTS")
  fi
  case $phase in
    put-record-16) PHASE_ARGS=(--mode put-record --record-size 100 --connections 16) ;;
    put-record-64) PHASE_ARGS=(--mode put-record --record-size 100 --connections 64) ;;
    put-records-100) PHASE_ARGS=(--mode put-records --batch 500 --record-size 100 --connections 16) ;;
    put-records-1k) PHASE_ARGS=(--mode put-records --batch 500 --record-size 1024 --connections 16) ;;
  esac
  PHASE_ARGS+=("${window[@]}")
}

measure_puts() {
  local run phase server report key value
  for run in $(seq "$BENCH_RUNS"); do
    for phase in $BENCH_PHASES; do
      [[ $phase == drain || $phase == growth ]] && continue
      for server in "${ACTIVE_SERVERS[@]}"; do
        key=$server.$phase
        report=$WORK_DIR/$server.$phase.run$run.json
        if ! start_server "$server"; then
          NOTE[$key]="server did not start"
          stop_server
          continue
        fi
        phase_arguments "$server" "$phase"
        if loadgen "$report" 700 "${PHASE_ARGS[@]}"; then
          case $phase in
            put-record-*) value=$(json_field "$report" 'r["requests_per_second"]') ;;
            *) value=$(json_field "$report" 'r["records_per_second"]') ;;
          esac
          SAMPLES[$key]+="$value:$report "
          ERRORS[$key]=$((${ERRORS[$key]:-0} + $(json_field "$report" 'r["errors"]')))
          note_errors "$key" "$run" "$report"
          log "$server $phase run $run: $(json_field "$report" \
            '"%.0f req/s, %.0f records/s, %.2f MB/s, p50 %.2f ms, p99 %.2f ms, %d errors" % (r["requests_per_second"], r["records_per_second"], r["record_megabytes_per_second"], r["latency_ms"]["p50"], r["latency_ms"]["p99"], r["errors"])')"
        else
          NOTE[$key]="loadgen failed (run $run, exit $?)"
          log "$server $phase run $run: ${NOTE[$key]}"
        fi
        stop_server
      done
    done
  done
}

measure_drains() {
  local server fill_records key report run value
  for server in "${ACTIVE_SERVERS[@]}"; do
    key=$server.drain
    case $server in
      kinesalite) fill_records=$BENCH_FILL_RECORDS_KINESALITE ;;
      kinesis-local) fill_records=$BENCH_FILL_RECORDS_KINESIS_LOCAL ;;
      *) fill_records=$BENCH_FILL_RECORDS ;;
    esac
    if ! start_server "$server"; then
      NOTE[$key]="server did not start"
      stop_server
      continue
    fi
    report=$WORK_DIR/$server.fill.json
    log "$server: filling $fill_records records"
    if ! loadgen "$report" 1900 --mode put-records --batch "$FILL_BATCH" --record-size 100 \
      --connections 16 --warmup-s 0 --duration-s 1800 --timeout-ms 600000 \
      --total-requests $(((fill_records + FILL_BATCH - 1) / FILL_BATCH)); then
      NOTE[$key]="fill failed"
      stop_server
      continue
    fi
    FILLED[$server]=$(json_field "$report" 'r["records"]')
    FILL_RATE[$server]=$(json_field "$report" 'round(r["records_per_second"])')
    ERRORS[$key]=$(json_field "$report" 'r["errors"]')
    note_errors "$key" fill "$report"
    sleep 2
    RSS[$server]=$(awk -v kib="$("${HELPER[@]}" rss "$SERVER_PID")" 'BEGIN { printf "%.1f", kib / 1024 }')
    log "$server: filled ${FILLED[$server]} records at ${FILL_RATE[$server]} records/s; RSS ${RSS[$server]} MiB"
    for run in $(seq "$BENCH_RUNS"); do
      report=$WORK_DIR/$server.drain.run$run.json
      if loadgen "$report" 700 --mode get-records --connections "$SHARDS" --warmup-s 0 \
        --duration-s 600 --limit 10000; then
        value=$(json_field "$report" 'r["records_per_second"]')
        SAMPLES[$key]+="$value:$report "
        ERRORS[$key]=$((${ERRORS[$key]:-0} + $(json_field "$report" 'r["errors"]')))
        note_errors "$key" "$run" "$report"
        log "$server drain run $run: $(json_field "$report" \
          '"%d records in %.2f s: %.0f records/s, %.2f MB/s, %d requests, %d errors" % (r["records"], r["measured_s"], r["records_per_second"], r["record_megabytes_per_second"], r["requests"], r["errors"])')"
      else
        NOTE[$key]="drain failed (run $run)"
      fi
    done
    stop_server
  done
}

declare -A GROWTH  # GROWTH[server] = markdown rows, one per window

measure_growth() {
  local server step report total=0 rate rss disk data_dir seek_ms
  for server in "${ACTIVE_SERVERS[@]}"; do
    [[ $server == tributary-* ]] || continue
    start_server "$server" || { NOTE[$server.growth]="server did not start"; stop_server; continue; }
    data_dir=$(ls -d "$WORK_DIR"/data.* 2>/dev/null | head -1 || true)
    total=0
    for step in $(seq "$BENCH_GROWTH_STEPS"); do
      report=$WORK_DIR/$server.growth.$step.json
      local window_start_ms
      window_start_ms=$(python3 -c 'import time; print(int(time.time() * 1000))')
      if ! loadgen "$report" 1900 --mode put-records --batch "$FILL_BATCH" --record-size 100 \
        --connections 16 --warmup-s 0 --duration-s 1800 --timeout-ms 600000 \
        --total-requests $(((BENCH_GROWTH_STEP_RECORDS + FILL_BATCH - 1) / FILL_BATCH)); then
        NOTE[$server.growth]="window $step failed"
        break
      fi
      total=$((total + $(json_field "$report" 'r["records"]')))
      ERRORS[$server.growth]=$((${ERRORS[$server.growth]:-0} + $(json_field "$report" 'r["errors"]')))
      rate=$(json_field "$report" 'round(r["records_per_second"])')
      rss=$(awk -v kib="$("${HELPER[@]}" rss "$SERVER_PID")" 'BEGIN { printf "%.1f", kib / 1024 }')
      disk=$([[ -n $data_dir ]] && du -sm "$data_dir" | cut -f1 || echo "-")
      seek_ms=$("${HELPER[@]}" seek-read "$SERVER_PORT" "$STREAM" "$window_start_ms" 2>/dev/null || echo "-")
      GROWTH[$server]+="| $step | $total | $rate | $rss | $disk | $seek_ms |"$'\n'
      log "$server growth window $step: $total records in the stream, $rate records/s, RSS $rss MiB, disk $disk MiB, seek+read $seek_ms ms"
    done
    stop_server
  done
}

# median_report KEY -> the report file of the run with the median value ("" if none)
median_report() {
  local samples=${SAMPLES[$1]:-} count
  [[ -z $samples ]] && return 0
  count=$(wc -w <<<"$samples")
  tr ' ' '\n' <<<"$samples" | sed '/^$/d' | sort -t: -k1,1g | sed -n "$(((count + 1) / 2))p" |
    cut -d: -f2-
}

all_values() {  # all_values KEY FORMAT
  tr ' ' '\n' <<<"${SAMPLES[$1]:-}" | sed '/^$/d' | cut -d: -f1 |
    awk -v format="$2" '{ printf "%s" format, (NR > 1 ? ", " : ""), $1 }'
}

cell() {  # cell KEY EXPRESSION  -> value from the median run's report, or the note
  local report
  report=$(median_report "$1")
  if [[ -z $report ]]; then
    printf '%s' "${NOTE[$1]:-not measured}"
  else
    json_field "$report" "$2" | tr -d '\n'
  fi
}

# --- main --------------------------------------------------------------------------------------

find_loadgen
ensure_peers || log "the peers are not installed and could not be (npm install --prefix bench)"
TRIBUTARY_ORIGIN=
if [[ -x $TRIBUTARY_BIN ]]; then
  TRIBUTARY_ORIGIN="${TRIBUTARY_BIN#"$ROOT"/}, sha256 $(sha256sum "$TRIBUTARY_BIN" | cut -c1-12)"
  TRIBUTARY_ORIGIN+=", built at $(date -u -r "$TRIBUTARY_BIN" '+%H:%M UTC')"
  if git -C "$ROOT" rev-parse --verify -q HEAD >/dev/null; then
    TRIBUTARY_ORIGIN+="; git HEAD $(git -C "$ROOT" rev-parse --short HEAD)"
    [[ -n $(git -C "$ROOT" status --porcelain -- src 2>/dev/null) ]] &&
      TRIBUTARY_ORIGIN+=" with uncommitted changes in src/"
  fi
  tributary_has_sync_writes && SYNC_WRITES_FLAG=--sync-writes
  cp "$TRIBUTARY_BIN" "$WORK_DIR/tributary"
  TRIBUTARY_DISPLAY_BIN=${TRIBUTARY_BIN#"$ROOT"/}
  TRIBUTARY_BIN=$WORK_DIR/tributary
else
  log "no Tributary binary at $TRIBUTARY_BIN (build it first: make build)"
fi

ACTIVE_SERVERS=()
declare -A SKIPPED
for server in $BENCH_SERVERS; do
  port=$("${HELPER[@]}" free-port)
  if server_command "$server" "$port"; then
    ACTIVE_SERVERS+=("$server")
    COMMAND[$server]=$(describe_command)
  else
    case $server in
      tributary-durable)
        if [[ -x $TRIBUTARY_BIN ]]; then
          SKIPPED[$server]="not available in this build (\`tributary --help\` has no --sync-writes)"
        else
          SKIPPED[$server]="not measured (no Tributary binary)"
        fi
        ;;
      tributary-*) SKIPPED[$server]="not measured (no Tributary binary)" ;;
      kinesalite | kinesis-local) SKIPPED[$server]="not measured ($server is not installed)" ;;
      *) SKIPPED[$server]="not measured (unknown server)" ;;
    esac
    log "$server: ${SKIPPED[$server]}"
  fi
  rm -rf "$WORK_DIR"/data.*
done

started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
measure_puts
load_middle=$(cut -d' ' -f1-3 /proc/loadavg)
[[ " $BENCH_PHASES " == *" drain "* ]] && measure_drains
[[ " $BENCH_PHASES " == *" growth "* ]] && measure_growth
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

label() {
  case $1 in
    tributary-rocksdb) echo "Tributary (RocksDB)" ;;
    tributary-memory) echo "Tributary (--in-memory)" ;;
    tributary-durable) echo "Tributary (RocksDB, --sync-writes)" ;;
    kinesalite)
      echo "kinesalite $(sed -n 's/^ *"version": "\(.*\)",/\1/p' \
        "$BENCH_DIR/node_modules/kinesalite/package.json" 2>/dev/null | head -1)"
      ;;
    kinesis-local)
      echo "kinesis-local $(sed -n 's/^ *"version" *: *"\(.*\)",/\1/p' \
        "$KINESIS_LOCAL_DIR/package.json" 2>/dev/null | head -1)"
      ;;
    *) echo "$1" ;;
  esac
}

report() {
  local server
  echo "Measured $started_at on $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' \
    /proc/cpuinfo | head -1)), $(uname -sr), Node $(node --version 2>/dev/null);" \
    "load average $load_before before, $load_middle after the put phases, $load_after at the end."
  [[ -n $TRIBUTARY_ORIGIN ]] && echo "Tributary: $TRIBUTARY_ORIGIN."
  echo "Every put run: a fresh server and a stream of $SHARDS shards, ${BENCH_WARMUP_S} s warm-up +" \
    "${BENCH_DURATION_S} s, median of $BENCH_RUNS runs (latency from the median run);" \
    "loadgen with $BENCH_LOADGEN_THREADS thread(s). MB = 10^6 bytes of record data (not base64)."
  echo
  echo "| Server | PutRecord c16 req/s | p50 / p99 ms | PutRecord c64 req/s | p50 / p99 ms |" \
    "PutRecords 500x100 B records/s | MB/s | p99 ms | PutRecords 500x1 KiB records/s | MB/s | p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  local lat='"%.2f / %.2f" % (r["latency_ms"]["p50"], r["latency_ms"]["p99"])'
  for server in $BENCH_SERVERS; do
    if [[ -n ${SKIPPED[$server]:-} ]]; then
      echo "| $(label "$server") | ${SKIPPED[$server]} | | | | | | | | | |"
      continue
    fi
    echo "| $(label "$server") | $(cell "$server.put-record-16" 'round(r["requests_per_second"])') |" \
      "$(cell "$server.put-record-16" "$lat") |" \
      "$(cell "$server.put-record-64" 'round(r["requests_per_second"])') |" \
      "$(cell "$server.put-record-64" "$lat") |" \
      "$(cell "$server.put-records-100" 'round(r["records_per_second"])') |" \
      "$(cell "$server.put-records-100" '"%.1f" % r["record_megabytes_per_second"]') |" \
      "$(cell "$server.put-records-100" '"%.0f" % r["latency_ms"]["p99"]') |" \
      "$(cell "$server.put-records-1k" 'round(r["records_per_second"])') |" \
      "$(cell "$server.put-records-1k" '"%.1f" % r["record_megabytes_per_second"]') |" \
      "$(cell "$server.put-records-1k" '"%.0f" % r["latency_ms"]["p99"]') |"
  done
  echo
  echo "| Server | Records filled | Fill records/s | RSS after fill (MiB) | Drain records/s | Drain MB/s | GetRecords p50 / p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for server in $BENCH_SERVERS; do
    [[ -n ${SKIPPED[$server]:-} ]] && continue
    [[ " $BENCH_PHASES " == *" drain "* ]] || continue
    echo "| $(label "$server") | ${FILLED[$server]:-${NOTE[$server.drain]:-}} | ${FILL_RATE[$server]:-} |" \
      "${RSS[$server]:-} | $(cell "$server.drain" 'round(r["records_per_second"])') |" \
      "$(cell "$server.drain" '"%.1f" % r["record_megabytes_per_second"]') |" \
      "$(cell "$server.drain" "$lat") |"
  done
  if [[ " $BENCH_PHASES " == *" growth "* ]]; then
    for server in $BENCH_SERVERS; do
      [[ -n ${GROWTH[$server]:-} || -n ${NOTE[$server.growth]:-} ]] || continue
      echo
      echo "Growth, $(label "$server"): windows of $BENCH_GROWTH_STEP_RECORDS records (PutRecords" \
        "500 x 100 B, 16 connections) into one stream of $SHARDS shards${NOTE[$server.growth]:+ (${NOTE[$server.growth]})}"
      echo
      echo "| Window | Records in stream | PutRecords records/s | RSS (MiB) | Data dir (MiB) | AT_TIMESTAMP seek + GetRecords(1000) ms |"
      echo "|---:|---:|---:|---:|---:|---:|"
      printf '%s' "${GROWTH[$server]:-}"
    done
  fi
  echo
  echo "Individual runs (req/s for PutRecord, records/s otherwise) and errors (non-2xx answers and" \
    "transport failures over all runs):"
  echo
  local phase key
  for server in $BENCH_SERVERS; do
    [[ -n ${SKIPPED[$server]:-} ]] && continue
    for phase in $BENCH_PHASES; do
      key=$server.$phase
      echo "- $server $phase: $(all_values "$key" '%.0f')${SAMPLES[$key]:+; }errors ${ERRORS[$key]:-0}${ERROR_KINDS[$key]:+ (${ERROR_KINDS[$key]%; })}${NOTE[$key]:+; ${NOTE[$key]}}"
    done
  done
  echo
  echo "Server command lines:"
  echo
  for server in $BENCH_SERVERS; do
    [[ -n ${COMMAND[$server]:-} ]] && echo "- $server: \`${COMMAND[$server]}\`"
  done
  if [[ -s $WORK_DIR/loadgen.stderr ]] && grep -q 'first response with status' "$WORK_DIR/loadgen.stderr"; then
    echo
    echo "Error answers seen (first of each status per run):"
    echo
    grep 'first response with status' "$WORK_DIR/loadgen.stderr" | sort | uniq -c | head -20 |
      sed 's/^/    /'
  fi
  return 0
}

mkdir -p "$(dirname "$BENCH_OUTPUT")"
report | tee "$BENCH_OUTPUT"
log "report written to $BENCH_OUTPUT"
