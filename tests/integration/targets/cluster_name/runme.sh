#!/usr/bin/env bash
# cluster_name against the simulator: cdm_job_status by name in the single and
# the batch form (one cluster-list call a task, before the job calls), unknown
# and shared names refused before any job call, and the job_wait role by name.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
export HUAWEICLOUD_AUTH_TOKEN=sim-token
playbook playbook.yml

# Ad hoc, by name: the result says which cluster was asked.
run adhoc huaweicloud.cdm.cdm_job_status "cluster_name=reports job_name=nightly_sync"
expect '"cluster_id": "0e6b1c2a-0000-4000-8000-000000000002"' '"status": "FAILED"'
echo "cluster_name target: ok"
