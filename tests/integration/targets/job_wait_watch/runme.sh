#!/usr/bin/env bash
# What the job_wait role watches for besides a job's end: a deadline (alone and
# with job_wait_timeout), fail-fast in a batch, stopping what a timeout or a
# stall leaves running (checked in the simulator's statistics), and a stall.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
export HUAWEICLOUD_AUTH_TOKEN=watch-token
ansible-playbook -i localhost, -c local watch.yml
echo "job_wait_watch target: ok (${SECONDS}s)"
