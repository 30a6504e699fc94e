#!/usr/bin/env bash
# cdm_cluster_info against the simulator: every cluster, one by ID and by name,
# unknown and ambiguous names, check mode, each auth method; then the whole
# -vvvv output searched for the secrets (each contains SECRET).
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
unset HUAWEICLOUD_AUTH_TOKEN
secrets marker=SECRET iam_token=MIIsim

run playbook -vvvv playbook.yml

# Ad hoc, credentials from the environment, as the README shows it.
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 run adhoc huaweicloud.cdm.cdm_cluster_info "cluster_name=cdm-demo" -vvvv
expect '"state": "stopped"'
HUAWEICLOUD_SDK_AK=ak-SECRET-5678 HUAWEICLOUD_SDK_SK=sk-SECRET-9012 \
    fails adhoc huaweicloud.cdm.cdm_cluster_info "cluster_name=twin" -vvvv
expect 'give cluster_id instead'

refuse_secrets
echo "cdm_cluster_info target: ok"
