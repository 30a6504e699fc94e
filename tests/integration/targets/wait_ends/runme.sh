#!/usr/bin/env bash
# Every wait ends when nothing can change it, and every mistake gets the hint
# that fixes it: the README's until loop, the job_wait role and the shipped
# playbooks against the simulator.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

export WE_TOKEN="we-static-token-H3k8Lw2q"
export WE_ACCESS_KEY="WEACCESSKEY7Y2MB5QD"
export WE_SECRET_KEY="we-secret-key-B9q4Xv7s"
sim_start --speed 600 --token "$WE_TOKEN" --access-key "$WE_ACCESS_KEY" --secret-key "$WE_SECRET_KEY"

WE_CLOSED_PORT="$("$CDM_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export WE_CLOSED_PORT
ansible-playbook -i localhost, -c local role.yml
# The shipped playbook, as the README runs it, on a job whose only run ended
# 12 hours ago: the summary says so, and the options warn about nothing.
out="$(HUAWEICLOUD_AUTH_TOKEN="$WE_TOKEN" ansible-playbook -i localhost, huaweicloud.cdm.wait_for_job \
    -e job_name=nightly_sync -e cluster_id="$SIM_CLUSTER_ID" -e wait_timeout=30 -e wait_delay=1 2>&1)" \
    || { echo "$out"; exit 1; }
grep -q "ended [0-9T:Z-]*, 12 h [0-9]* min ago, before this wait began: it is not a new run" <<<"$out" \
    || { echo "$out"; echo "the summary must say the run is 12 hours old" >&2; exit 1; }
grep -q '"run: started [0-9T:Z-]*, ended [0-9T:Z-]*, before this wait began"' <<<"$out"
if grep -v 'running with default collection' <<<"$out" | grep -q -i 'reserved name\|WARNING'; then echo "$out"; echo "the playbook run warned" >&2; exit 1; fi
# Ansible's reserved names as options are refused with the names to use.
if out="$(HUAWEICLOUD_AUTH_TOKEN="$WE_TOKEN" ansible-playbook -i localhost, huaweicloud.cdm.wait_for_job \
        -e job_name=nightly_sync -e cluster_id="$SIM_CLUSTER_ID" -e timeout=30 2>&1)"; then
    echo "-e timeout must be refused" >&2
    exit 1
fi
grep -q 'use -e wait_timeout=SECONDS' <<<"$out" || { echo "$out"; exit 1; }

# Credentials about to cross the network in clear text get a warning (the
# host then does not resolve, so nothing leaves this machine).
out="$(HUAWEICLOUD_AUTH_TOKEN="$WE_TOKEN" ansible localhost -i localhost, -c local -m huaweicloud.cdm.cdm_job_status \
    -a "cluster_id=$SIM_CLUSTER_ID job_name=jdbc2hive endpoint=http://cdm.example.invalid:8080" 2>&1)" && exit 1
# Joined into one line: ansible-core 2.16 wraps a warning at the terminal's width.
grep -q 'endpoint is a plain http:// URL to another machine (cdm.example.invalid:8080): the credentials cross the network unencrypted; use https://' <<<"${out//$'\n'/ }" \
    || { echo "$out"; echo "no plain-http warning" >&2; exit 1; }
out="$(HUAWEICLOUD_AUTH_TOKEN="$WE_TOKEN" ansible localhost -i localhost, -c local -m huaweicloud.cdm.cdm_job_status \
    -a "cluster_id=$SIM_CLUSTER_ID job_name=nightly_sync" 2>&1)" || { echo "$out"; exit 1; }
if grep -q 'plain http:' <<<"$out"; then echo "$out"; echo "a loopback endpoint must not warn" >&2; exit 1; fi

# A password put in the endpoint is refused, and never printed, even at -vvvv.
out="$(HUAWEICLOUD_AUTH_TOKEN="$WE_TOKEN" ansible -vvvv localhost -i localhost, -c local -m huaweicloud.cdm.cdm_job_status \
    -a "cluster_id=$SIM_CLUSTER_ID job_name=jdbc2hive endpoint=https://admin:S3cretPW-we@cdm.example.com/" 2>&1)" && exit 1
grep -q 'endpoint must be a plain base URL without credentials' <<<"$out" || { echo "$out"; exit 1; }
if grep -n -e 'S3cretPW-we' -e "$WE_TOKEN" <<<"$out"; then echo "a secret is in the -vvvv output" >&2; exit 1; fi

# Last: it revokes the tokens and locks the key pair.
ansible-playbook -i localhost, -c local until.yml
