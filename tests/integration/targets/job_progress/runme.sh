#!/usr/bin/env bash
# The huaweicloud.cdm.job_progress callback, enabled through the environment as
# users do, beside the default stdout callback: its lines for an until loop on
# one job started with cdm_job, a failing job and a failed call, several jobs at once, the job_wait
# role; nothing for other tasks; nothing secret at -vvvv.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

export JP_TOKEN="jp-static-token-W2e8Rt5u"
sim_start --scenario scenario.yml --speed 10 --token "$JP_TOKEN"
export HUAWEICLOUD_AUTH_TOKEN="$JP_TOKEN"

secrets token="$JP_TOKEN"

progress() {  # PART [ansible-playbook arguments...]: the playbook's part, with the callback enabled
    local part="$1"
    shift
    ANSIBLE_CALLBACKS_ENABLED=huaweicloud.cdm.job_progress playbook playbook.yml -e part="$part" "$@"
}
# The run's time on the service's clock (run_seconds); a poll without it says how long the task waited.
time_part='(elapsed|waited) [0-9hms]+'

run progress single
expect -E '^jdbc2hive  started  (BOOTING|RUNNING)  [0-9.]+%  .*\(submission [0-9]+\)$' \
    "^jdbc2hive  (BOOTING|RUNNING)  [0-9.]+%  $time_part(  ~[0-9hms]+ left)?  \(submission [0-9]+\)$" \
    '^jdbc2hive  RUNNING  [0-9.]+%  elapsed [0-9hms]+  ~[0-9hms]+ left  \(submission [0-9]+\)$' \
    '^jdbc2hive  SUCCEEDED  elapsed [0-9hms]+  rows written 120000, bytes written 15360000  \(submission [0-9]+\)$' \
    'FAILED - RETRYING'  # the stdout callback's own lines are still there

run progress failure
expect -E '^obs2dws  FAILED  (elapsed [0-9hms]+  )?error: Failed to write data to DWS: value too long for type character varying\(32\)\.  \(submission [0-9]+\)$' \
    "^obs2dws  (BOOTING|RUNNING)  [0-9.]+%  $time_part" \
    '^no_such_job  API error  HTTP 400  Cdm.0100: .*  \(request id [0-9a-f]{32}\)$'

run progress batch
# A poll is its summary and the jobs that changed: the idle job already
# finished shows once, each started job once when it ends, and nothing else.
expect -E '^[01]/3 finished: [01] succeeded, 0 failed; 2 running' \
    '^  nightly_sync  SUCCEEDED  (elapsed [0-9hms]+  )?rows written 500000, bytes written [0-9]+  \(submission [0-9]+\)$' \
    '^  obs2dws  FAILED  (elapsed [0-9hms]+  )?error: Failed to write data to DWS: value too long' \
    '^3/3 finished: 2 succeeded, 1 failed$' \
    '^  jdbc2hive  SUCCEEDED  (elapsed [0-9hms]+  )?rows written 120000'
for job in nightly_sync obs2dws jdbc2hive; do
    [ "$(grep -c -E "^  $job  " "$CDM_LAST")" -eq 1 ] || { echo "$job: not exactly one line" >&2; exit 1; }
done
refuse -E '^(jdbc2hive|obs2dws|nightly_sync)  '  # batch lines are indented under their summary

# The role's poll never fails (failed_when: false): the line still tells the job failed.
run progress role
expect -E "^role_fail  (BOOTING|RUNNING)  [0-9.]+%  $time_part" \
    '^role_fail  FAILED  (elapsed [0-9hms]+  )?error: Failed to write data to DWS: disk full\.  \(submission [0-9]+\)$'

# Other tasks: the same output with the callback as without it.
run progress quiet
cp "$CDM_LAST" "$CDM_WORK/with"
run playbook playbook.yml -e part=quiet
if ! diff "$CDM_LAST" "$CDM_WORK/with" >&2; then
    echo "the callback printed something for other tasks (diff above)" >&2
    exit 1
fi

# Nothing secret at -vvvv: the token only ever reaches the modules' no_log options.
run progress failure -vvvv
expect -E '^obs2dws  FAILED'
refuse_secrets
echo "job_progress target: ok (${SECONDS}s)"
