#!/usr/bin/env bash
# cdm_job_status against the simulator: every auth method, every status, faults,
# check mode, module_defaults, ad hoc use.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --speed 600
export HUAWEICLOUD_AUTH_TOKEN=sim-token
ansible-playbook -i localhost, -c local playbook.yml

# Ad hoc, as the README shows it (credentials from the environment).
out="$(ansible localhost -i localhost, -c local -m huaweicloud.cdm.cdm_job_status \
    -a "cluster_id=$SIM_CLUSTER_ID job_name=nightly_sync")"
grep -q '"status": "SUCCEEDED"' <<<"$out"
grep -q '"rows_written": 500000' <<<"$out"

# Ad hoc with a job that does not exist: fails with the API's code, message and request id.
if out="$(ansible localhost -i localhost, -c local -m huaweicloud.cdm.cdm_job_status \
    -a "cluster_id=$SIM_CLUSTER_ID job_name=no_such_job" 2>&1)"; then
    echo "an unknown job must fail" >&2
    exit 1
fi
grep -q 'Cdm.0100' <<<"$out"
grep -q 'request id: [0-9a-f]\{32\}' <<<"$out"
echo "cdm_job_status target: ok"
