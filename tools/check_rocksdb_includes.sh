#!/usr/bin/env bash
# Keeps RocksDB inside src/storage/rocksdb/ (src/storage/README.md): fails, naming each offending
# file and line, when a C/C++ file elsewhere under src/, tests/ or bench/ includes
#   - a RocksDB header (<rocksdb/...> or "rocksdb/..."), or
#   - a header of the RocksDB engine (storage/rocksdb/...), which names RocksDB types;
# everything else reaches the engine through storage/engine.h.
# Registered as the ctest test `rocksdb_includes_confined` (so `make test` runs it).
#
#   tools/check_rocksdb_includes.sh [ROOT]     check the tree at ROOT (default: this repository)
#   tools/check_rocksdb_includes.sh --self-test   show the check fails on an offending tree
set -euo pipefail

script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

# Files outside src/storage/rocksdb/ allowed to include RocksDB anyway, relative to ROOT, each
# with its reason. Tests reach RocksDB through open_rocksdb_engine(); these three include only
# storage/rocksdb/wal_scan.h, the reader of RocksDB's write-ahead log format, which works on
# bytes and names no RocksDB type (its tests, and its fuzz target).
allowed=(
  tests/unit/storage/wal_scan_test.cc
  tests/unit/storage/storage_engine_test.cc
  tests/fuzz/wal_fuzz.cc
)

check() {
  local root="$1"
  local -a offenders=() dirs=()
  local line file dir
  for dir in src tests bench; do
    [[ -d "$root/$dir" ]] && dirs+=("$root/$dir")
  done
  if ((${#dirs[@]} == 0)); then
    echo "no src/, tests/ or bench/ under '$root'" >&2
    return 2
  fi
  while IFS= read -r line; do
    file="${line%%:*}"
    file="${file#"$root"/}"
    [[ "$file" == src/storage/rocksdb/* ]] && continue
    local permitted=0 entry
    for entry in "${allowed[@]+"${allowed[@]}"}"; do
      [[ "$file" == "$entry" ]] && permitted=1
    done
    ((permitted)) || offenders+=("$file:${line#*:}")
  done < <(
    grep -rnE --exclude-dir=node_modules --exclude-dir=build \
      --include='*.c' --include='*.cc' --include='*.cpp' --include='*.cxx' --include='*.h' \
      --include='*.hh' --include='*.hpp' --include='*.hxx' --include='*.ipp' --include='*.inc' \
      '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]((rocksdb|storage/rocksdb)/)' \
      "${dirs[@]}" || true
  )
  if ((${#offenders[@]})); then
    echo "RocksDB headers included outside src/storage/rocksdb/ (use storage/engine.h):" >&2
    printf '  %s\n' "${offenders[@]}" >&2
    return 1
  fi
  echo "ok: RocksDB headers are included only in src/storage/rocksdb/"
}

self_test() {
  local tree
  tree="$(mktemp -d)"
  trap 'rm -rf "$tree"' RETURN
  mkdir -p "$tree/src/storage/rocksdb" "$tree/src/kinesis" "$tree/tests/unit" "$tree/bench"
  printf '#include <rocksdb/db.h>\n#include "storage/rocksdb/rocksdb_engine.h"\n' \
    >"$tree/src/storage/rocksdb/engine.cc"
  printf '#include "storage/engine.h"\n// #include <rocksdb/db.h> in a comment is fine\n' \
    >"$tree/src/kinesis/ok.cc"
  if ! "$script" "$tree" >/dev/null; then
    echo "self-test: a clean tree was rejected" >&2
    return 1
  fi
  local bad
  for bad in 'src/kinesis/bad.cc:#include <rocksdb/db.h>' \
    'tests/unit/bad_test.cc:  #  include "rocksdb/options.h"' \
    'bench/bad.h:#include "storage/rocksdb/rocksdb_engine.h"'; do
    local file="${bad%%:*}"
    printf '%s\n' "${bad#*:}" >"$tree/$file"
    local output
    if output="$("$script" "$tree" 2>&1)"; then
      echo "self-test: the check passed with $file including RocksDB" >&2
      return 1
    fi
    if [[ "$output" != *"$file:1:"* ]]; then
      echo "self-test: the failure did not name $file: $output" >&2
      return 1
    fi
    rm "$tree/$file"
  done
  echo "ok: the check rejects RocksDB includes outside src/storage/rocksdb/"
}

case "${1:-}" in
  --self-test) self_test ;;
  -h | --help) sed -n '2,11p' "$script" | sed 's/^# \{0,1\}//' ;;
  *) check "${1:-$(cd "$(dirname "$script")/.." && pwd)}" ;;
esac
