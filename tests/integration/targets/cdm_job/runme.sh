#!/usr/bin/env bash
# cdm_job against the simulator: started then already_running, stopped then
# not_running, the start race, a lost answer, a refusal, check mode (no PUT),
# cluster_name, the start feeding job_wait; then every auth method at -vvvv,
# in success and failure, with the output searched for every secret.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 ansible-playbook -i localhost, -c local playbook.yml

# Ad hoc, as a pipeline step would run it.
out="$(HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 ansible localhost -i localhost, -c local -m huaweicloud.cdm.cdm_job \
    -a "cluster_id=$SIM_CLUSTER_ID job_name=check_job state=started")"
grep -q '"action": "started"' <<<"$out"
if out="$(HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 ansible localhost -i localhost, -c local -m huaweicloud.cdm.cdm_job \
    -a "cluster_id=$SIM_CLUSTER_ID job_name=check_job" 2>&1)"; then
    echo "a task without state must fail" >&2
    exit 1
fi
grep -q 'missing required arguments: state' <<<"$out"

# No secret in the output, at -vvvv. Each run's stdout and stderr go to the one
# file searched at the end (the marker line names no argument: they hold the secrets).
out="$(mktemp "${TMPDIR:-/tmp}/cdm-job-secrets.XXXXXX")"
cleanup() {
    local rc=$?
    # The secrets here are fake: on failure, show what went wrong.
    [ "$rc" -eq 0 ] || tail -n 80 "$out" >&2
    sim_stop
    rm -f "$out"
}
trap cleanup EXIT
runs=0
run() { runs=$((runs + 1)); echo "=== run $runs" >>"$out"; "$@" >>"$out" 2>&1; }
fails() { if run "$@"; then echo "expected a failure: $*" >&2; exit 1; fi; }
adhoc() { ansible localhost -i localhost, -c local -vvvv -m huaweicloud.cdm.cdm_job \
    -a "cluster_id=$SIM_CLUSTER_ID retries=1 $1"; }

run ansible-playbook -i localhost, -c local -vvvv secrets.yml
run adhoc "job_name=secret_job state=stopped auth_token=tok-SECRET-1234"
fails adhoc "job_name=no_such_job state=started auth_token=tok-SECRET-1234"
fails adhoc "job_name=secret_job state=started access_key=ak-SECRET-5678 secret_key=sk-WRONG-SECRET-2222"
HUAWEICLOUD_AUTH_TOKEN=envtok-SECRET-4444 run adhoc "job_name=secret_job state=started"
HUAWEICLOUD_SDK_AK=envak-SECRET-6666 HUAWEICLOUD_SDK_SK=envsk-SECRET-7777 HUAWEICLOUD_SDK_SECURITY_TOKEN=envsts-SECRET-8888 \
    run adhoc "job_name=secret_job state=stopped"
HW_USER_NAME=env-user HW_PASSWORD=envpw-SECRET-9999 HW_DOMAIN_NAME=cdm-domain run adhoc "job_name=secret_job state=started"
HW_USER_NAME=env-user HW_PASSWORD=envpw-SECRET-9999 HW_DOMAIN_NAME=cdm-domain fails adhoc "job_name=no_such_job state=stopped"

leaks="$(grep -n -e 'SECRET' -e 'MIIsim' "$out" || true)"
if [ -n "$leaks" ]; then
    echo "secrets in the output:" >&2
    cut -c1-300 <<<"$leaks" >&2
    exit 1
fi
# The search means something only if the output holds the answers of every path.
for shown in '"action": "started"' '"action": "stopped"' '"action": "already_running"' 'APIG.0301' 'Cdm.0100' \
    'IAM answered HTTP 401'; do
    if ! grep -q "$shown" "$out"; then echo "the output lacks $shown: a case did not run" >&2; exit 1; fi
done
if grep -q 'Traceback (most recent call last)' "$out"; then
    echo "a traceback reached the output" >&2
    exit 1
fi
echo "searched $(wc -l <"$out") lines of -vvvv output of $runs runs: no secret"
echo "cdm_job target: ok"
