#!/usr/bin/env bash
# cdm_job state=present/absent against the simulator: a definitions folder
# rolled out (created, then unchanged), a change with its diff, check mode
# sending only reads, the cdm_job_info round trip, a running job refused and
# stopped first, delete and absent again, bad definitions, then a start and a
# wait; the diff as --diff prints it; and no secret in the -vvvv output.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
secrets marker=SECRET
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 playbook playbook.yml

# --diff prints the definition before and after: the changed value, and no server field.
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 run playbook --diff diff.yml
expect '^-.*"to-link-name": "generic_jdbc_link"' '^+.*"to-link-name": "hive_link"'
refuse 'creation-user'

# No secret in the output, at -vvvv, with a token and with AK/SK, in success and failure.
job() { adhoc huaweicloud.cdm.cdm_job "cluster_id=$SIM_CLUSTER_ID retries=0 $1" -vvvv --diff; }
definition='definition={"from-connector-name":"generic-jdbc-connector","from-link-name":"generic_jdbc_link","to-connector-name":"hive-connector","to-link-name":"hive_link"}'
log_to secrets
run job "job_name=secret_job state=present auth_token=tok-SECRET-1234 $definition"
run job "job_name=secret_job state=absent access_key=ak-SECRET-5678 secret_key=sk-SECRET-9012"
fails job "job_name=slow_job state=absent auth_token=tok-SECRET-1234"  # a running job
fails job "job_name=secret_job state=present access_key=ak-SECRET-5678 secret_key=sk-WRONG-SECRET-2222 $definition"
refuse_secrets
expect -a '"action": "created"' '"action": "deleted"' 'Cdm.0052' 'APIG.0301'
refuse_traceback -a
echo "cdm_job_definition target: ok"
