#!/usr/bin/env bash
# Installs what Tributary needs to build (and, with --test, to run its tests) on Debian 12.
# Idempotent: only missing packages are installed, and `apt-get update` runs at most once, only
# when something is missing. A run with everything present finishes in a fraction of a second.
#
#   scripts/install-deps.sh            build dependencies
#   scripts/install-deps.sh --test     build + test dependencies (pytest, boto3, AWS CLI, ...)
#   scripts/install-deps.sh --npm      also node + npm (Debian's nodejs, npm when missing) and
#                                      `npm ci` in tests/js when its node_modules is missing or stale
#                                      (puppeteer-core there uses Debian's chromium; no browser
#                                      is downloaded: PUPPETEER_SKIP_DOWNLOAD=1)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

want_test=0
want_npm=0
for argument in "$@"; do
  case "$argument" in
    --test) want_test=1 ;;
    --npm) want_npm=1 ;;
    -h | --help)
      sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "install-deps: unknown argument '$argument' (try --help)" >&2
      exit 2
      ;;
  esac
done

# libgtest-dev and libcbor-dev build the unit tests (libcbor only reads back our own CBOR
# encoder's output there; the server does not link it).
build_packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev librocksdb-dev libsimdjson-dev libfmt-dev libspdlog-dev
  libcli11-dev libssl-dev libnghttp2-dev libjemalloc-dev libgtest-dev libcbor-dev
  libyaml-cpp-dev
)
# python3-prometheus-client parses /metrics in the tests; chromium is the browser the console's
# test drives through puppeteer-core (which never downloads a browser of its own).
test_packages=(python3-pytest python3-cbor2 curl nghttp2-client python3-prometheus-client chromium)

run_as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo DEBIAN_FRONTEND=noninteractive "$@"
  else
    echo "install-deps: need root or sudo to run: $*" >&2
    return 1
  fi
}

package_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

# True when some python3 on PATH (or Debian's /usr/bin/python3) can import boto3.
boto3_available() {
  local candidate
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import importlib.util, sys; sys.exit(not importlib.util.find_spec("boto3"))' \
        >/dev/null 2>&1; then
      return 0
    fi
  done
  return 1
}

apt_updated=0
install_missing_packages() {
  local package
  local -a missing=()
  for package in "$@"; do
    package_installed "$package" || missing+=("$package")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: missing packages (${missing[*]}) and no apt-get; install them by hand" >&2
    return 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [[ $apt_updated -eq 0 ]]; then
    run_as_root apt-get update -qq
    apt_updated=1
  fi
  run_as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_npm_packages() {
  local js_dir="$repo_root/tests/js"
  [[ -f "$js_dir/package.json" ]] || return 0
  # Debian 12's nodejs is 18.x; tests/js pins SDK versions that still support it. A node that
  # came from elsewhere (with its own npm) is used as it is.
  local -a node_packages=()
  command -v node >/dev/null 2>&1 || node_packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || node_packages+=(npm)
  if [[ ${#node_packages[@]} -gt 0 ]]; then
    install_missing_packages "${node_packages[@]}"
    hash -r
  fi
  # Skip when the last successful install is newer than the manifests (nothing changed since).
  local stamp="$js_dir/node_modules/.install-deps-stamp"
  if [[ -f "$stamp" && "$stamp" -nt "$js_dir/package.json" ]] &&
    { [[ ! -f "$js_dir/package-lock.json" ]] || [[ "$stamp" -nt "$js_dir/package-lock.json" ]]; }; then
    return 0
  fi
  echo "install-deps: installing npm packages in tests/js"
  if [[ -f "$js_dir/package-lock.json" ]]; then
    (cd "$js_dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$js_dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error)
  fi
  mkdir -p "$js_dir/node_modules"
  touch "$stamp"
}

wanted=("${build_packages[@]}")
if [[ $want_test -eq 1 ]]; then
  wanted+=("${test_packages[@]}")
  command -v aws >/dev/null 2>&1 || wanted+=(awscli)
  boto3_available || wanted+=(python3-boto3)
fi
install_missing_packages "${wanted[@]}"

if [[ $want_npm -eq 1 ]]; then
  install_npm_packages
fi
