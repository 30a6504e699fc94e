#!/usr/bin/env bash
# Every wait ends when nothing can change it, and every mistake gets the hint
# that fixes it: the README's until loop, the job_wait role and the shipped
# playbooks against the simulator.
set -euo pipefail
# shellcheck source=tests/integration/simulator.sh
. ../../simulator.sh

export WE_TOKEN="we-static-token-H3k8Lw2q"
export WE_ACCESS_KEY="WEACCESSKEY7Y2MB5QD"
export WE_SECRET_KEY="we-secret-key-B9q4Xv7s"
sim_start --speed 600 --token "$WE_TOKEN" --access-key "$WE_ACCESS_KEY" --secret-key "$WE_SECRET_KEY"

WE_CLOSED_PORT="$("$CDM_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export WE_CLOSED_PORT
ansible-playbook -i localhost, -c local role.yml
# Last: it revokes the tokens and locks the key pair.
ansible-playbook -i localhost, -c local until.yml
