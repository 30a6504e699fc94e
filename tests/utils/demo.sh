#!/usr/bin/env bash
# The demo: `make demo`. Starts the CDM simulator with the demo scenario (four
# jobs, one fails), points the collection at it the way users do (environment
# variables), runs playbooks/demo.yml, and stops the simulator on the way out.
# Sets up its venv under .cache/ on the first run; runs again as often as you like.
set -euo pipefail
# shellcheck source=tests/utils/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# ansible-core and the modules' libraries (not the test command's venvs).
venv="$(cdm_venv runtime "$CDM_NEWEST_PYTHON" "ansible-core==$CDM_NEWEST" "$CDM_ROOT/requirements.txt")"

sim_dir="$(mktemp -d "${TMPDIR:-/tmp}/cdm-demo.XXXXXX")"
sim_pid=""
stop_simulator() {
    if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
        kill -TERM "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
    fi
    rm -rf "$sim_dir"
}
trap stop_simulator EXIT

log "starting the CDM simulator (tests/simulator/scenarios/demo.yml)"
"$venv/bin/python" "$CDM_ROOT/tests/simulator/cdm_simulator.py" --scenario "$CDM_ROOT/tests/simulator/scenarios/demo.yml" \
    --port 0 --port-file "$sim_dir/port" 2>"$sim_dir/stderr" &
sim_pid=$!
for _ in $(seq 100); do
    [ -s "$sim_dir/port" ] && break
    if ! kill -0 "$sim_pid" 2>/dev/null; then break; fi
    sleep 0.1
done
if [ ! -s "$sim_dir/port" ]; then
    echo "the simulator did not start:" >&2
    cat "$sim_dir/stderr" >&2
    exit 1
fi
sim_url="http://127.0.0.1:$(tr -d '[:space:]' < "$sim_dir/port")"

# What a user sets to reach Huawei Cloud; here, the simulator and its demo token.
export HUAWEICLOUD_CDM_ENDPOINT="$sim_url"
export HUAWEICLOUD_SDK_IAM_ENDPOINT="$sim_url"
export HUAWEICLOUD_SDK_PROJECT_ID="1551c7f6c808414d8e9f3c514a170f2e"
export HUAWEICLOUD_AUTH_TOKEN="sim-token"
export ANSIBLE_COLLECTIONS_PATH
ANSIBLE_COLLECTIONS_PATH="$(cdm_collections_path)"
export ANSIBLE_PYTHON_INTERPRETER="$venv/bin/python"
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_RETRY_FILES_ENABLED=0

log "running playbooks/demo.yml against $sim_url"
# CDM_DEMO_ARGS: extra ansible-playbook arguments, e.g. -vv (split on spaces on purpose).
# shellcheck disable=SC2086
"$venv/bin/ansible-playbook" -i localhost, "$CDM_ROOT/playbooks/demo.yml" ${CDM_DEMO_ARGS:-}
