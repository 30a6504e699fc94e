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
secrets token="$WE_TOKEN" access_key="$WE_ACCESS_KEY" secret_key="$WE_SECRET_KEY" endpoint_password=S3cretPW-we
playbook role.yml
# The shipped playbook, as the README runs it, on a job whose only run ended
# 12 hours ago: the summary says so, and the options warn about nothing.
wait_for_job() {
    HUAWEICLOUD_AUTH_TOKEN="$WE_TOKEN" ansible-playbook -i localhost, huaweicloud.cdm.wait_for_job \
        -e job_name=nightly_sync -e cluster_id="$SIM_CLUSTER_ID" "$@"
}
run wait_for_job -e wait_timeout=30 -e wait_delay=1
expect "ended [0-9T:Z-]*, 12 h [0-9]* min ago, before this wait began: it is not a new run" \
    '"run: started [0-9T:Z-]*, ended [0-9T:Z-]*, before this wait began"'
if grep -q -v 'running with default collection' < <(grep -i 'reserved name\|WARNING' "$CDM_LAST" || true); then
    echo "the playbook run warned" >&2
    exit 1
fi
# Ansible's reserved names as options are refused with the names to use.
fails wait_for_job -e timeout=30
expect 'use -e wait_timeout=SECONDS'

# Credentials about to cross the network in clear text get a warning (the
# host then does not resolve, so nothing leaves this machine).
status() { HUAWEICLOUD_AUTH_TOKEN="$WE_TOKEN" adhoc huaweicloud.cdm.cdm_job_status "cluster_id=$SIM_CLUSTER_ID $1" "${@:2}"; }
fails status "job_name=jdbc2hive endpoint=http://cdm.example.invalid:8080"
# Joined into one line: ansible-core 2.16 wraps a warning at the terminal's width.
expect -j 'endpoint is a plain http:// URL to another machine (cdm.example.invalid:8080): the credentials cross the network unencrypted; use https://'
run status "job_name=nightly_sync"
refuse 'plain http:'  # a loopback endpoint

# A password put in the endpoint is refused, and never printed, even at -vvvv.
fails status "job_name=jdbc2hive endpoint=https://admin:S3cretPW-we@cdm.example.com/" -vvvv
expect 'endpoint must be a plain base URL without credentials'
refuse_secrets

# Last: it revokes the tokens and locks the key pair.
playbook until.yml
