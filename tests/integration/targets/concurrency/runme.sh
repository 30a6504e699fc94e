#!/usr/bin/env bash
# Concurrency: twelve hosts (forks 12) poll at once with password auth and
# AK/SK; the simulator counts overlapping calls and IAM tokens. Then the batch
# form, whose status calls run in threads over one session and one token.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
unset HUAWEICLOUD_AUTH_TOKEN
ansible-playbook -i inventory.ini -f 12 playbook.yml
echo "concurrency target: ok"
