#!/usr/bin/env bash
# cdm_job_status against the simulator: every auth method, every status, faults,
# check mode, module_defaults, ad hoc use.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --speed 600
export HUAWEICLOUD_AUTH_TOKEN=sim-token
playbook playbook.yml

# Ad hoc, as the README shows it (credentials from the environment).
run adhoc huaweicloud.cdm.cdm_job_status "cluster_id=$SIM_CLUSTER_ID job_name=nightly_sync"
expect '"status": "SUCCEEDED"' '"rows_written": 500000'

# Ad hoc with a job that does not exist: fails with the API's code, message and request id.
fails adhoc huaweicloud.cdm.cdm_job_status "cluster_id=$SIM_CLUSTER_ID job_name=no_such_job"
expect 'Cdm.0100' 'request id: [0-9a-f]\{32\}'
echo "cdm_job_status target: ok"
