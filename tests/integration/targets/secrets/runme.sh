#!/usr/bin/env bash
# Secrets: run the module with each auth method at -vvvv, in success and in
# failure, in a playbook and ad hoc, with secrets in options and in environment
# variables, and search all of the output for every secret. Every secret
# contains "SECRET" (scenario.yml, secrets.yml); tokens IAM issues start "MIIsim".
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

sim_start --scenario scenario.yml
unset HUAWEICLOUD_AUTH_TOKEN
secrets marker=SECRET iam_token=MIIsim
status() { adhoc huaweicloud.cdm.cdm_job_status "cluster_id=$SIM_CLUSTER_ID retries=1 $1" -vvvv; }

run playbook -vvvv playbook.yml

# Ad hoc, secrets on the command line: success, and each kind of failure.
run status "job_name=nightly_sync auth_token=tok-SECRET-1234"
fails status "job_name=no_such_job auth_token=tok-SECRET-1234"
fails status "job_name=nightly_sync access_key=ak-SECRET-5678 secret_key=sk-WRONG-SECRET-2222 security_token=sts-SECRET-3456"
fails status "job_name=unavailable user_name=cdm-user password=pw-SECRET-7890 domain_name=cdm-domain"
fails status "job_name=nightly_sync user_name=cdm-user password=pw-WRONG-SECRET-4444 domain_name=cdm-domain"
run adhoc huaweicloud.cdm.cdm_job_status \
    "{\"cluster_id\": \"$SIM_CLUSTER_ID\", \"job_name\": \"nightly_sync\", \"access_key\": \"ak-SECRET-5678\", \"secret_key\": \"sk-SECRET-9012\", \"security_token\": \"sts-SECRET-3456\"}" -vvvv

# Ad hoc, secrets in the environment variables users already have set.
HUAWEICLOUD_AUTH_TOKEN=envtok-SECRET-4444 run status "job_name=nightly_sync"
HUAWEICLOUD_AUTH_TOKEN=envtok-SECRET-4444 fails status "job_name=unavailable"
HUAWEICLOUD_SDK_AK=envak-SECRET-6666 HUAWEICLOUD_SDK_SK=envsk-SECRET-7777 HUAWEICLOUD_SDK_SECURITY_TOKEN=envsts-SECRET-8888 \
    run status "job_name=nightly_sync"
HW_ACCESS_KEY=envak-SECRET-6666 HW_SECRET_KEY=sk-WRONG-SECRET-2222 HW_SECURITY_TOKEN=envsts-SECRET-8888 \
    fails status "job_name=nightly_sync"
HW_USER_NAME=env-user HW_PASSWORD=envpw-SECRET-9999 HW_DOMAIN_NAME=cdm-domain run status "job_name=nightly_sync"
HUAWEICLOUD_USER_NAME=env-user HUAWEICLOUD_PASSWORD=envpw-SECRET-9999 HUAWEICLOUD_DOMAIN_NAME=cdm-domain \
    fails status "job_name=no_such_job"

# The search. Ansible itself prints a task's `environment:` keyword in its
# "EXEC /bin/sh -c 'NAME=value ...'" line at -vvv (playbook task "Token given
# through the task's environment keyword"): that line is Ansible's, not the
# module's, so it alone is let through, and only for that token.
excuse "<localhost> EXEC /bin/sh -c 'HUAWEICLOUD_AUTH_TOKEN=envtok-SECRET-4444 "
refuse_secrets
# The search means something only if the output holds the answers of every path.
expect -a '"status": "SUCCEEDED"' 'APIG.0301' 'Cdm.0100' 'HTTP 503' 'IAM answered HTTP 401' 'auth_token has'
refuse_traceback -a
echo "secrets target: ok"
