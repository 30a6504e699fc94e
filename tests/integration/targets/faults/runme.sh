#!/usr/bin/env bash
# The fault matrix: cdm_job_status against every fault the simulator can make,
# plus a server that trickles its body. Prints the matrix as a Markdown table
# (the one in docs/faults.md); every figure in it is measured by this run.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
export HUAWEICLOUD_AUTH_TOKEN=sim-token

work="$(mktemp -d "${TMPDIR:-/tmp}/cdm-faults.XXXXXX")"
trickle_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [ -n "$trickle_pid" ]; then kill "$trickle_pid" 2>/dev/null || true; wait "$trickle_pid" 2>/dev/null || true; fi
    rm -rf "$work"
    sim_stop
}
trap cleanup EXIT

"$CDM_PYTHON" trickle_server.py --port-file "$work/trickle.port" --log "$work/trickle.log" &
trickle_pid=$!
touch "$work/trickle.log"
for _ in $(seq 50); do [ -s "$work/trickle.port" ] && break; sleep 0.1; done
trickle_port="$(tr -d '[:space:]' < "$work/trickle.port")"
export TRICKLE_URL="http://127.0.0.1:$trickle_port"
export TRICKLE_LOG="$work/trickle.log"
export FAULTS_TABLE="$work/faults.md"

rc=0
ansible-playbook -i inventory.ini playbook.yml 2>&1 | tee "$work/output" || rc=$?

echo "---- fault matrix (docs/faults.md) ----"
cat "$FAULTS_TABLE" 2>/dev/null || echo "(no table: the playbook stopped early)"

if grep -q 'Traceback (most recent call last)' "$work/output"; then
    echo "a traceback reached the output" >&2
    rc=1
fi
[ "$rc" -eq 0 ] && echo "faults target: ok"
exit "$rc"
