#!/usr/bin/env bash
# The job_wait role against the simulator: success, failure, timeout, stale
# runs, transient and permanent API errors, JMESPath conditions, several jobs,
# one IAM token per wait, and no secret in the output at -vvvv.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

# Credentials of this target only, distinct enough to search the output for.
export JW_TOKEN="jw-static-token-Q7v3xK9p"
export JW_ACCESS_KEY="JWACCESSKEY4N8ZR2W"
export JW_SECRET_KEY="jw-secret-key-M4n8Zr2w"
export JW_USER="jw-user" JW_DOMAIN="jw-domain"
export JW_PASSWORD="jw-password-T5c1Hd6y"
sim_start --speed 600 --token "$JW_TOKEN" --access-key "$JW_ACCESS_KEY" --secret-key "$JW_SECRET_KEY" \
    --user "$JW_USER" --password "$JW_PASSWORD" --domain "$JW_DOMAIN"

HUAWEICLOUD_AUTH_TOKEN="$JW_TOKEN" ansible-playbook -i localhost, -c local playbook.yml
ansible-playbook -i localhost, -c local auth.yml

# The collection's playbooks, as the README runs them; a failed job fails the
# run with a message naming the job, its run, the status and the error summary.
run_playbook() {
    HUAWEICLOUD_AUTH_TOKEN="$JW_TOKEN" ansible-playbook -i localhost, "$@" \
        -e cluster_id="$SIM_CLUSTER_ID" -e wait_delay=0.2 2>&1
}
out="$(run_playbook huaweicloud.cdm.start_and_wait -e job_name=jdbc2hive)"
grep -q '"status: SUCCEEDED, progress 100.0"' <<<"$out"
grep -q '"rows written: 120000, bytes written: 15360000"' <<<"$out"
out="$(run_playbook huaweicloud.cdm.wait_for_job -e job_name=jdbc2hive)"
grep -q '"wait: succeeded in [0-9.]* s, polls: 1"' <<<"$out"
if out="$(run_playbook huaweicloud.cdm.start_and_wait -e job_name=obs2dws)"; then
    echo "start_and_wait must fail for a job that fails" >&2
    exit 1
fi
grep -q 'CDM job obs2dws (submission id [0-9]*) ended FAILED: Failed to write data to DWS: value too long' <<<"$out"
grep -q '"status: FAILED, progress -1.0"' <<<"$out"

# start_and_wait with an AK/SK pair only (the start is signed like the polls),
# the cluster by name, and job variables.
run_aksk() {
    HUAWEICLOUD_SDK_AK="$JW_ACCESS_KEY" HUAWEICLOUD_SDK_SK="$JW_SECRET_KEY" ansible-playbook -i localhost, \
        huaweicloud.cdm.start_and_wait -e job_name=mysql2obs -e cluster_name=cdm-demo "$@" 2>&1
}
out="$(run_aksk -e wait_delay=0.2 -e '{"variables": {"date": "2026-12-01"}}')"
grep -q '"run: started by this play"' <<<"$out"
grep -q '"wait: succeeded in [0-9.]* s, polls: [0-9]*"' <<<"$out"
# The run got the job variables (the simulator records them).
"$CDM_PYTHON" -c 'import json, sys, urllib.request
jobs = json.load(urllib.request.urlopen(sys.argv[1] + "/_sim/jobs"))["jobs"]
assert [job["variables"] for job in jobs if job["name"] == "mysql2obs"] == [{"date": "2026-12-01"}], jobs' "$SIM_URL"

# Every way to authenticate at -vvvv: the secrets, and the tokens IAM issued
# (the simulator's start with MIIsim), must not appear anywhere in the output.
# Each check runs in its own subshell, with its own log (no EXIT trap there: show it).
secrets token="$JW_TOKEN" access_key="$JW_ACCESS_KEY" secret_key="$JW_SECRET_KEY" password="$JW_PASSWORD" iam_token=MIIsim
check_secrets() (  # METHOD JOB [VARIABLE=VALUE...]
    method="$1" job="$2"
    shift 2
    log_to "secrets-$method"
    if ! run env "$@" ansible-playbook -vvvv -i localhost, -c local secrets.yml -e method="$method" -e job="$job" \
            || ! expect -E '"state": "(succeeded|failed)"' || ! refuse_secrets; then
        show >&2
        echo "the -vvvv run with $method failed (output above, secrets masked)" >&2
        exit 1
    fi
)
echo "playbooks and auth: ${SECONDS}s"
pids=()
check_secrets token jdbc2hive & pids+=($!)
check_secrets aksk nightly_sync & pids+=($!)
check_secrets password mysql2obs & pids+=($!)
check_secrets password_env obs2dws HW_USER_NAME="$JW_USER" HW_PASSWORD="$JW_PASSWORD" HW_DOMAIN_NAME="$JW_DOMAIN" & pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done
echo "job_wait target: ok (${SECONDS}s)"
