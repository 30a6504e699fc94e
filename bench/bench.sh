#!/usr/bin/env bash
# `make bench`: bench/run.py in a venv with the newest supported ansible-core and
# the collection's runtime requirements (built once under .cache/venv/runtime).
#
#   make bench                      the full run (about 20 minutes on 2 cores, 5 of them scenario 5)
#   make bench BENCH_ARGS=--quick   N in 1 and 10, fewer runs (5 to 6 minutes)
#   bench/bench.sh --help           every option
set -euo pipefail
# shellcheck source=tests/utils/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/../tests/utils/env.sh"

venv="$(cdm_venv runtime "$CDM_NEWEST_PYTHON" "ansible-core==$CDM_NEWEST" "$CDM_ROOT/requirements.txt")"
exec "$venv/bin/python" "$CDM_ROOT/bench/run.py" --python "$venv/bin/python" "$@"
