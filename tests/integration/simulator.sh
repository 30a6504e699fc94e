#!/usr/bin/env bash
# Sourced by integration targets' runme.sh: start the CDM simulator for this
# target, point the collection at it, and stop it when the target ends.
#
#   sim_start [simulator options...]   starts it; sets SIM_URL, SIM_PORT
#   sim_stats                          prints /_sim/stats (JSON)
#
# Connection settings reach the module through its documented environment
# variables, the way users set them.
set -euo pipefail

CDM_ROOT="${CDM_ROOT:?run the targets with tests/integration/run.sh}"
CDM_PYTHON="${CDM_PYTHON:-python3}"
SIM_CLUSTER_ID="6ec9a0a4-76be-4262-8697-e7af1fac7920"
SIM_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cdm-sim.XXXXXX")"
SIM_PID=""
export SIM_CLUSTER_ID

sim_stop() {
    if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill -TERM "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
    fi
    SIM_PID=""
    rm -rf "$SIM_DIR"
}
trap sim_stop EXIT

sim_start() {
    "$CDM_PYTHON" "$CDM_ROOT/tests/simulator/cdm_simulator.py" --port 0 --port-file "$SIM_DIR/port" "$@" \
        2>>"$SIM_DIR/stderr" &
    SIM_PID=$!
    local waited=0
    until [ -s "$SIM_DIR/port" ]; do
        if ! kill -0 "$SIM_PID" 2>/dev/null || [ "$waited" -ge 100 ]; then
            echo "the simulator did not start:" >&2
            cat "$SIM_DIR/stderr" >&2
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    SIM_PORT="$(tr -d '[:space:]' < "$SIM_DIR/port")"
    SIM_URL="http://127.0.0.1:$SIM_PORT"
    export SIM_PORT SIM_URL
    export HUAWEICLOUD_CDM_ENDPOINT="$SIM_URL"
    export HUAWEICLOUD_SDK_IAM_ENDPOINT="$SIM_URL"
    export HUAWEICLOUD_SDK_PROJECT_ID="${HUAWEICLOUD_SDK_PROJECT_ID:-1551c7f6c808414d8e9f3c514a170f2e}"
}

sim_stats() {
    "$CDM_PYTHON" -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
        "$SIM_URL/_sim/stats"
}

# Quiet, fast, and deterministic output for every playbook run in a target.
export ANSIBLE_NOCOLOR=1
export ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_HOST_KEY_CHECKING=0
export ANSIBLE_LOCALHOST_WARNING=0
export ANSIBLE_INVENTORY_UNPARSED_WARNING=0
export ANSIBLE_PYTHON_INTERPRETER="${ANSIBLE_PYTHON_INTERPRETER:-$CDM_PYTHON}"
