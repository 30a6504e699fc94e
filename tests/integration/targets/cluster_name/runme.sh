#!/usr/bin/env bash
# cluster_name against the simulator: cdm_job_status by name in the single and
# the batch form (one cluster-list call a task, before the job calls), unknown
# and shared names refused before any job call, and the job_wait role by name.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
export HUAWEICLOUD_AUTH_TOKEN=sim-token
ansible-playbook -i localhost, -c local playbook.yml

# Ad hoc, by name: the result says which cluster was asked.
out="$(ansible localhost -i localhost, -c local -m huaweicloud.cdm.cdm_job_status \
    -a "cluster_name=reports job_name=nightly_sync")"
grep -q '"cluster_id": "0e6b1c2a-0000-4000-8000-000000000002"' <<<"$out"
grep -q '"status": "FAILED"' <<<"$out"
echo "cluster_name target: ok"
