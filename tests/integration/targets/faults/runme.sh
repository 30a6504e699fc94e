#!/usr/bin/env bash
# The fault matrix: cdm_job_status against every fault the simulator can make.
# Prints the matrix as a Markdown table (the one in docs/docsite/rst/faults_guide.rst); every
# figure in it is measured by this run.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
export HUAWEICLOUD_AUTH_TOKEN=sim-token

work="$CDM_WORK"

export FAULTS_TABLE="$work/faults.md"

rc=0
ansible-playbook -i inventory.ini playbook.yml 2>&1 | tee "$work/output" || rc=$?

echo "---- fault matrix (docs/docsite/rst/faults_guide.rst) ----"
cat "$FAULTS_TABLE" 2>/dev/null || echo "(no table: the playbook stopped early)"

if grep -q 'Traceback (most recent call last)' "$work/output"; then
    echo "a traceback reached the output" >&2
    rc=1
fi
[ "$rc" -eq 0 ] && echo "faults target: ok"
exit "$rc"
