#!/usr/bin/env bash
# iam_token against the simulator: a token from a password, used by the other
# module; the ways it refuses; module_defaults; and no secret in the output.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

export IT_PASSWORD="it-password-W3x9Lq5e"
sim_start --speed 600 --user it-user --password "$IT_PASSWORD" --domain it-domain
out="$SIM_DIR/playbook.log"
if ! ansible-playbook -vvv -i localhost, -c local playbook.yml >"$out" 2>&1; then
    cat "$out"
    exit 1
fi
for secret in "$IT_PASSWORD" MIIsim; do
    if grep -n -F -- "$secret" "$out"; then
        echo "a secret is in the output (lines above)" >&2
        exit 1
    fi
done
echo "iam_token target: ok"
