#!/usr/bin/env bash
# cdm_cluster_info against the simulator: every cluster, one by ID and by name,
# unknown and ambiguous names, check mode, each auth method; then the whole
# -vvvv output searched for the secrets (each contains SECRET).
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
unset HUAWEICLOUD_AUTH_TOKEN
out="$(mktemp "${TMPDIR:-/tmp}/cdm-cluster-info.XXXXXX")"
cleanup() {
    local rc=$?
    # The secrets here are fake: on failure, show what went wrong.
    [ "$rc" -eq 0 ] || tail -n 80 "$out" >&2
    sim_stop
    rm -f "$out"
}
trap cleanup EXIT

ansible-playbook -i localhost, -c local -vvvv playbook.yml >>"$out" 2>&1

# Ad hoc, credentials from the environment, as the README shows it.
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 ansible localhost -i localhost, -c local -vvvv \
    -m huaweicloud.cdm.cdm_cluster_info -a "cluster_name=cdm-demo" >>"$out" 2>&1
grep -q '"state": "stopped"' "$out"
if HUAWEICLOUD_SDK_AK=ak-SECRET-5678 HUAWEICLOUD_SDK_SK=sk-SECRET-9012 ansible localhost -i localhost, -c local -vvvv \
    -m huaweicloud.cdm.cdm_cluster_info -a "cluster_name=twin" >>"$out" 2>&1; then
    echo "an ambiguous cluster name must fail" >&2
    exit 1
fi
grep -q 'give cluster_id instead' "$out"

if grep -n -e 'SECRET' -e 'MIIsim' "$out" >&2; then
    echo "secrets in the output (above)" >&2
    exit 1
fi
echo "cdm_cluster_info target: ok"
