#!/usr/bin/env bash
# iam_token against the simulator: a token from a password, used by the other
# module; the ways it refuses; module_defaults; and no secret in the output.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

export IT_PASSWORD="it-password-W3x9Lq5e"
sim_start --speed 600 --user it-user --password "$IT_PASSWORD" --domain it-domain
secrets password="$IT_PASSWORD" iam_token=MIIsim
run playbook -vvv playbook.yml
refuse_secrets
echo "iam_token target: ok"
