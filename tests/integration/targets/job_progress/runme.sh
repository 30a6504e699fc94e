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

run() {  # PART [ansible-playbook arguments...]: the run's output, with the callback enabled
    local part="$1"
    shift
    ANSIBLE_CALLBACKS_ENABLED=huaweicloud.cdm.job_progress \
        ansible-playbook -i localhost, -c local playbook.yml -e part="$part" "$@" 2>&1
}
expect() {  # OUTPUT REGEX [WHAT]: fails showing the output when no line matches
    if ! grep -q -E -- "$2" <<<"$1"; then
        printf '%s\n' "$1" >&2
        echo "no line matching: $2" >&2
        return 1
    fi
}
refuse() {  # OUTPUT REGEX: fails showing the output when a line matches
    if grep -n -E -- "$2" <<<"$1"; then
        echo "a line (above) must not match: $2" >&2
        return 1
    fi
}
# The run's time on the service's clock (run_seconds); a poll without it says how long the task waited.
time_part='(elapsed|waited) [0-9hms]+'

out="$(run single)"
expect "$out" '^jdbc2hive  started  (BOOTING|RUNNING)  [0-9.]+%  .*\(submission [0-9]+\)$'
expect "$out" "^jdbc2hive  (BOOTING|RUNNING)  [0-9.]+%  $time_part(  ~[0-9hms]+ left)?  \(submission [0-9]+\)$"
expect "$out" '^jdbc2hive  RUNNING  [0-9.]+%  elapsed [0-9hms]+  ~[0-9hms]+ left  \(submission [0-9]+\)$'
expect "$out" '^jdbc2hive  SUCCEEDED  elapsed [0-9hms]+  rows written 120000, bytes written 15360000  \(submission [0-9]+\)$'
expect "$out" 'FAILED - RETRYING'  # the stdout callback's own lines are still there

out="$(run failure)"
expect "$out" '^obs2dws  FAILED  (elapsed [0-9hms]+  )?error: Failed to write data to DWS: value too long for type character varying\(32\)\.  \(submission [0-9]+\)$'
expect "$out" "^obs2dws  (BOOTING|RUNNING)  [0-9.]+%  $time_part"
expect "$out" '^no_such_job  API error  HTTP 400  Cdm.0100: .*  \(request id [0-9a-f]{32}\)$'

out="$(run batch)"
# A poll is its summary and the jobs that changed: the idle job already
# finished shows once, each started job once when it ends, and nothing else.
expect "$out" '^[01]/3 finished: [01] succeeded, 0 failed; 2 running'
expect "$out" '^  nightly_sync  SUCCEEDED  (elapsed [0-9hms]+  )?rows written 500000, bytes written [0-9]+  \(submission [0-9]+\)$'
expect "$out" '^  obs2dws  FAILED  (elapsed [0-9hms]+  )?error: Failed to write data to DWS: value too long'
expect "$out" '^3/3 finished: 2 succeeded, 1 failed$'
expect "$out" '^  jdbc2hive  SUCCEEDED  (elapsed [0-9hms]+  )?rows written 120000'
for job in nightly_sync obs2dws jdbc2hive; do
    [ "$(grep -c -E "^  $job  " <<<"$out")" -eq 1 ] || { printf '%s\n' "$out" >&2; echo "$job: not exactly one line" >&2; exit 1; }
done
refuse "$out" '^(jdbc2hive|obs2dws|nightly_sync)  '  # batch lines are indented under their summary

# The role's poll never fails (failed_when: false): the line still tells the job failed.
out="$(run role)"
expect "$out" "^role_fail  (BOOTING|RUNNING)  [0-9.]+%  $time_part"
expect "$out" '^role_fail  FAILED  (elapsed [0-9hms]+  )?error: Failed to write data to DWS: disk full\.  \(submission [0-9]+\)$'

# Other tasks: the same output with the callback as without it.
with="$(run quiet)"
without="$(ansible-playbook -i localhost, -c local playbook.yml -e part=quiet 2>&1)"
if [ "$with" != "$without" ]; then
    diff <(printf '%s\n' "$without") <(printf '%s\n' "$with") >&2 || true
    echo "the callback printed something for other tasks (diff above)" >&2
    exit 1
fi

# Nothing secret at -vvvv: the token only ever reaches the modules' no_log options.
out="$(run failure -vvvv)"
expect "$out" '^obs2dws  FAILED'
refuse "$out" "$JP_TOKEN"
echo "job_progress target: ok (${SECONDS}s)"
