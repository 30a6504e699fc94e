#!/usr/bin/env bash
# cdm_job state=present/absent against the simulator: a definitions folder
# rolled out (created, then unchanged), a change with its diff, check mode
# sending only reads, the cdm_job_info round trip, a running job refused and
# stopped first, delete and absent again, bad definitions, then a start and a
# wait; the diff as --diff prints it; and no secret in the -vvvv output.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

out="$(mktemp "${TMPDIR:-/tmp}/cdm-job-definition.XXXXXX")"
cleanup() {
    local rc=$?
    # The secrets here are fake: on failure, show what went wrong.
    [ "$rc" -eq 0 ] || tail -n 80 "$out" >&2
    sim_stop
    rm -f "$out"
}
trap cleanup EXIT

sim_start --scenario scenario.yml
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 ansible-playbook -i localhost, -c local playbook.yml

# --diff prints the definition before and after: the changed value, and no server field.
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 ansible-playbook -i localhost, -c local --diff diff.yml >"$out" 2>&1
grep -q '^-.*"to-link-name": "generic_jdbc_link"' "$out"
grep -q '^+.*"to-link-name": "hive_link"' "$out"
if grep -q 'creation-user' "$out"; then echo "a server field reached the diff" >&2; exit 1; fi

# No secret in the output, at -vvvv, with a token and with AK/SK, in success and failure.
: >"$out"
adhoc() { ansible localhost -i localhost, -c local -vvvv --diff -m huaweicloud.cdm.cdm_job \
    -a "cluster_id=$SIM_CLUSTER_ID retries=0 $1" >>"$out" 2>&1; }
definition='definition={"from-connector-name":"generic-jdbc-connector","from-link-name":"generic_jdbc_link","to-connector-name":"hive-connector","to-link-name":"hive_link"}'
adhoc "job_name=secret_job state=present auth_token=tok-SECRET-1234 $definition"
adhoc "job_name=secret_job state=absent access_key=ak-SECRET-5678 secret_key=sk-SECRET-9012"
if adhoc "job_name=slow_job state=absent auth_token=tok-SECRET-1234"; then
    echo "deleting a running job must fail" >&2; exit 1
fi
if adhoc "job_name=secret_job state=present access_key=ak-SECRET-5678 secret_key=sk-WRONG-SECRET-2222 $definition"; then
    echo "a wrong secret key must fail" >&2; exit 1
fi
leaks="$(grep -n -e 'SECRET' "$out" || true)"
if [ -n "$leaks" ]; then
    echo "secrets in the output:" >&2
    cut -c1-300 <<<"$leaks" >&2
    exit 1
fi
for shown in '"action": "created"' '"action": "deleted"' 'Cdm.0052' 'APIG.0301'; do
    if ! grep -q "$shown" "$out"; then echo "the output lacks $shown: a case did not run" >&2; exit 1; fi
done
if grep -q 'Traceback (most recent call last)' "$out"; then
    echo "a traceback reached the output" >&2
    exit 1
fi
echo "cdm_job_definition target: ok"
