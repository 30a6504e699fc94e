#!/usr/bin/env bash
# Runs every integration target (tests/integration/targets/*/runme.sh) against
# the CDM simulator, or the ones named: run.sh cdm_job_status job_wait
# Each target starts and stops its own simulator; targets run two at a time.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CDM_ROOT="${CDM_ROOT:-$(cd "$here/../.." && pwd)}"
export CDM_PYTHON="${CDM_PYTHON:-python3}"
jobs="${CDM_INTEGRATION_JOBS:-2}"
out="$CDM_ROOT/tests/output/integration"
mkdir -p "$out"
# One results file per run, so two runs side by side do not mix their results.
results="$(mktemp "$out/results.XXXXXX")"
trap 'rm -f "$results"' EXIT

if [ "$#" -gt 0 ]; then targets=("$@"); else
    targets=()
    for dir in "$here"/targets/*/; do
        name="$(basename "$dir")"
        [ -x "$dir/runme.sh" ] && targets+=("$name")
    done
fi

run_target() {
    local name="$1" start=$SECONDS rc
    (cd "$here/targets/$name" && ./runme.sh) >"$out/$name.log" 2>&1
    rc=$?
    printf '%s %s %ds\n' "$name" "$([ $rc -eq 0 ] && echo passed || echo failed)" $((SECONDS - start)) >>"$results"
    return $rc
}

running=0
for name in "${targets[@]}"; do
    run_target "$name" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

passed=0
failed=0
while read -r name result seconds; do
    printf '  %-28s %s (%s)\n' "$name" "$result" "$seconds"
    if [ "$result" = passed ]; then passed=$((passed + 1)); else
        failed=$((failed + 1))
        echo "---- $name: last lines of tests/output/integration/$name.log" >&2
        tail -n 40 "$out/$name.log" >&2
    fi
done < <(sort "$results")
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
