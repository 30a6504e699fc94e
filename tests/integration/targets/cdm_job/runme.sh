#!/usr/bin/env bash
# cdm_job against the simulator: started then already_running, stopped then
# not_running, the start race, a lost answer, a refusal, check mode (no PUT),
# cluster_name, the start feeding job_wait; then every auth method at -vvvv,
# in success and failure, with the output searched for every secret.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
secrets marker=SECRET iam_token=MIIsim
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 playbook playbook.yml

# Ad hoc, as a pipeline step would run it.
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 \
    run adhoc huaweicloud.cdm.cdm_job "cluster_id=$SIM_CLUSTER_ID job_name=check_job state=started"
expect '"action": "started"'
HUAWEICLOUD_AUTH_TOKEN=tok-SECRET-1234 fails adhoc huaweicloud.cdm.cdm_job "cluster_id=$SIM_CLUSTER_ID job_name=check_job"
expect 'missing required arguments: state'

# No secret in the output, at -vvvv; the search reads every run's output.
job() { adhoc huaweicloud.cdm.cdm_job "cluster_id=$SIM_CLUSTER_ID retries=1 $1" -vvvv; }
log_to secrets
run playbook -vvvv secrets.yml
run job "job_name=secret_job state=stopped auth_token=tok-SECRET-1234"
fails job "job_name=no_such_job state=started auth_token=tok-SECRET-1234"
fails job "job_name=secret_job state=started access_key=ak-SECRET-5678 secret_key=sk-WRONG-SECRET-2222"
HUAWEICLOUD_AUTH_TOKEN=envtok-SECRET-4444 run job "job_name=secret_job state=started"
HUAWEICLOUD_SDK_AK=envak-SECRET-6666 HUAWEICLOUD_SDK_SK=envsk-SECRET-7777 HUAWEICLOUD_SDK_SECURITY_TOKEN=envsts-SECRET-8888 \
    run job "job_name=secret_job state=stopped"
HW_USER_NAME=env-user HW_PASSWORD=envpw-SECRET-9999 HW_DOMAIN_NAME=cdm-domain run job "job_name=secret_job state=started"
HW_USER_NAME=env-user HW_PASSWORD=envpw-SECRET-9999 HW_DOMAIN_NAME=cdm-domain fails job "job_name=no_such_job state=stopped"

refuse_secrets
# The search means something only if the output holds the answers of every path.
expect -a '"action": "started"' '"action": "stopped"' '"action": "already_running"' 'APIG.0301' 'Cdm.0100' \
    'IAM answered HTTP 401'
refuse_traceback -a
echo "cdm_job target: ok"
