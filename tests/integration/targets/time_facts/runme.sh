#!/usr/bin/env bash
# The time facts (run_seconds, eta_seconds, idle_seconds, service_time) of
# cdm_job_status (single and batch) and cdm_job against runs of known times,
# with the service's clock on time and three years away from the controller's.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh
export HUAWEICLOUD_AUTH_TOKEN=sim-token

for offset in 0 -94608000 94608000; do
    cp scenario.yml "scenario_$offset.yml"
    echo "clock_offset: $offset" >> "scenario_$offset.yml"
    mkdir -p "$SIM_DIR"   # sim_stop removes it
    sim_start --scenario "scenario_$offset.yml"
    ansible-playbook -i localhost, -c local playbook.yml -e "clock_offset=$offset" "$@"
    sim_stop
done
echo "time_facts target: ok"
