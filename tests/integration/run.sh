#!/usr/bin/env bash
# Runs the integration tests (pytest + boto3 + AWS CLI against a real build/tributary).
#   tests/integration/run.sh [pytest arguments...]
# Picks a Python interpreter that can import both boto3 and pytest:
#   1. `python3` from PATH as is;
#   2. `python3` from PATH with Debian's /usr/lib/python3/dist-packages added to PYTHONPATH
#      (e.g. a pyenv Python 3.11 that has boto3 but not pytest; Debian 12's python3-pytest is
#      built for 3.11 too, so this only is used when the import check passes);
#   3. Debian's /usr/bin/python3.
# Never skips silently: without a working interpreter it explains why and exits 1.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

export TRIBUTARY_BIN="${TRIBUTARY_BIN:-$repo_root/build/tributary}"
debian_dist_packages=/usr/lib/python3/dist-packages
minimum_boto3=1.26

# Prints "boto3 <version> pytest <version>" when the interpreter (with the current PYTHONPATH)
# can import both and boto3 is new enough; fails otherwise, printing the reason on stderr.
check_interpreter() {
  "$1" - "$minimum_boto3" <<'PY'
import sys
try:
    import boto3
except Exception as error:
    sys.exit(f"cannot import boto3 ({error})")
try:
    import pytest
except Exception as error:
    sys.exit(f"cannot import pytest ({error})")
minimum = tuple(int(part) for part in sys.argv[1].split("."))
version = tuple(int(part) for part in boto3.__version__.split(".")[:2] if part.isdigit())
if version < minimum:
    sys.exit(f"boto3 {boto3.__version__} is older than {sys.argv[1]}")
print(f"Python {sys.version.split()[0]} ({sys.executable}), boto3 {boto3.__version__}, "
      f"pytest {pytest.__version__}")
PY
}

python_interpreter=""
interpreter_summary=""
failures=()
original_pythonpath="${PYTHONPATH:-}"

if path_python="$(command -v python3 2>/dev/null)"; then
  if summary="$(check_interpreter "$path_python" 2>&1)"; then
    python_interpreter="$path_python"
    interpreter_summary="$summary"
  else
    failures+=("python3 ($path_python): $summary")
    if [[ -d "$debian_dist_packages" ]]; then
      export PYTHONPATH="${original_pythonpath:+$original_pythonpath:}$debian_dist_packages"
      if summary="$(check_interpreter "$path_python" 2>&1)"; then
        python_interpreter="$path_python"
        interpreter_summary="$summary (with PYTHONPATH=$PYTHONPATH)"
      else
        failures+=("python3 ($path_python) with PYTHONPATH=$PYTHONPATH: $summary")
        if [[ -n "$original_pythonpath" ]]; then
          export PYTHONPATH="$original_pythonpath"
        else
          unset PYTHONPATH
        fi
      fi
    fi
  fi
else
  failures+=("python3: not on PATH")
fi

if [[ -z "$python_interpreter" && -x /usr/bin/python3 && "${path_python:-}" != /usr/bin/python3 ]]; then
  if summary="$(check_interpreter /usr/bin/python3 2>&1)"; then
    python_interpreter=/usr/bin/python3
    interpreter_summary="$summary"
  else
    failures+=("/usr/bin/python3: $summary")
  fi
fi

if [[ -z "$python_interpreter" ]]; then
  echo "integration tests: no Python interpreter can import both boto3 (>= $minimum_boto3) and pytest:" >&2
  for failure in "${failures[@]}"; do
    echo "  - $failure" >&2
  done
  echo "Run 'scripts/install-deps.sh --test' (installs python3-pytest, python3-boto3, awscli)." >&2
  exit 1
fi

echo "integration tests: $interpreter_summary"
if [[ ! -x "$TRIBUTARY_BIN" ]]; then
  echo "integration tests: warning: TRIBUTARY_BIN=$TRIBUTARY_BIN is not an executable (build first)" >&2
fi

status=0
# TRIBUTARY_TEST_PATH: another test tree run the same way (tests/soak for `make soak`).
"$python_interpreter" -m pytest "${TRIBUTARY_TEST_PATH:-tests/integration}" -q -p no:cacheprovider "$@" || status=$?
if [[ $status -eq 5 ]]; then
  echo "integration tests: pytest collected no tests; treating that as a failure" >&2
  exit 1
fi
exit "$status"
