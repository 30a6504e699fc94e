#!/usr/bin/env bash
# Sourced by the integration targets' runme.sh (they name this target in
# `needs/target/setup_cdm_simulator`, so ansible-test copies it beside them):
# starts a CDM simulator for that target, points the collection at it, and stops
# it when the target ends. Each target starts its own, with its own options.
#
#   sim_start [simulator options...]   starts it; sets SIM_URL, SIM_PORT
#   sim_stats                          prints /_sim/stats (JSON)
#   sim_stop                           stops it (also done on exit)
#   CDM_WORK                           a folder for the target's files, removed on exit
#
# and, from checks.sh beside it, the steps that run Ansible and judge its output
# (the secret search among them).
#
# Connection settings reach the module through its documented environment
# variables, the way users set them.
set -euo pipefail

# ansible-test points ANSIBLE_COLLECTIONS_PATH at the tree holding the collection
# under test and runs the controller's Python; the simulator is in that tree.
CDM_ROOT="${CDM_ROOT:-${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/huaweicloud/cdm}"
CDM_PYTHON="${CDM_PYTHON:-${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}}"
if [ ! -f "$CDM_ROOT/tests/simulator/cdm_simulator.py" ]; then
    echo "no simulator under $CDM_ROOT: run the targets with ansible-test integration (see CONTRIBUTING.md)" >&2
    exit 1
fi
SIM_CLUSTER_ID="6ec9a0a4-76be-4262-8697-e7af1fac7920"
SIM_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cdm-sim.XXXXXX")"
SIM_PID=""
CDM_WORK="$(mktemp -d "${TMPDIR:-/tmp}/cdm-target.XXXXXX")"
export CDM_ROOT CDM_PYTHON SIM_CLUSTER_ID CDM_WORK
# shellcheck source=tests/integration/targets/setup_cdm_simulator/checks.sh
. "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

sim_stop() {
    if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill -TERM "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
    fi
    SIM_PID=""
    rm -rf "$SIM_DIR"
}

# The secrets in the targets are fake, and masked anyway: on failure, show what went wrong.
# shellcheck disable=SC2317  # called by the EXIT trap
cdm_exit() {
    local rc=$?
    if [ "$rc" -ne 0 ] && [ -n "$CDM_LOG" ] && [ -s "$CDM_LOG" ]; then
        echo "---- the end of $CDM_LOG (secrets masked) ----" >&2
        show -n 80 >&2
    fi
    sim_stop
    rm -rf "$CDM_WORK"
}
trap cdm_exit EXIT

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

# Quiet, fast, and deterministic output for every playbook run in a target. The
# targets run playbooks on `-i localhost,` with the controller's Python, which
# has the modules' libraries (tests/integration/requirements.txt).
export ANSIBLE_NOCOLOR=1
export ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_HOST_KEY_CHECKING=0
export ANSIBLE_LOCALHOST_WARNING=0
export ANSIBLE_INVENTORY_UNPARSED_WARNING=0
export ANSIBLE_PYTHON_INTERPRETER="$CDM_PYTHON"
