#!/usr/bin/env bash
# cdm_job_info against the simulator: every job over several pages, filter,
# job_type, one job, its runs newest first, unknown and ambiguous cluster names,
# check mode, each auth method; then the whole -vvvv output searched for the
# secrets (each contains SECRET).
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

# scenario.yml plus a cluster of 250 jobs and two clusters that share a name.
"$CDM_PYTHON" -c '
import json, sys, yaml
with open("scenario.yml") as handle:
    scenario = yaml.safe_load(handle)
scenario["clusters"] += [
    {"id": "11111111-2222-3333-4444-555555555555", "name": "big", "jobs": [{"name": "bulk%03d" % n} for n in range(250)]},
    {"id": "66666666-7777-8888-9999-000000000000", "name": "twin"},
    {"id": "77777777-8888-9999-0000-111111111111", "name": "twin"},
]
json.dump(scenario, sys.stdout)
' >scenario.json
sim_start --scenario scenario.json
unset HUAWEICLOUD_AUTH_TOKEN
secrets marker=SECRET iam_token=MIIsim

run playbook -vvvv playbook.yml

# Ad hoc, credentials from the environment, as the README shows it.
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 \
    run adhoc huaweicloud.cdm.cdm_job_info "cluster_id=$SIM_CLUSTER_ID job_name=jdbc2hive history=true" -vvvv
expect '"error_summary": "Job execution failed."'
HUAWEICLOUD_SDK_AK=ak-SECRET-5678 HUAWEICLOUD_SDK_SK=sk-SECRET-9012 \
    fails adhoc huaweicloud.cdm.cdm_job_info "cluster_id=$SIM_CLUSTER_ID job_name=no_such_job" -vvvv
expect 'Cdm.0100'

refuse_secrets
echo "cdm_job_info target: ok"
