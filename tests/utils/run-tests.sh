#!/usr/bin/env bash
# The test command: `make test` (all stages) or `make test STAGES="units sanity"`.
# Sets up everything it needs under .cache/ on a fresh machine (only the package
# registries are reached), so CI runs exactly this.
set -euo pipefail
# shellcheck source=tests/utils/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ALL_STAGES="units sanity simulator integration ecosystem"
STAGES="${STAGES:-${*:-$ALL_STAGES}}"
summary=()
failures=0

cdm_pip_standin

oldest_venv() { cdm_venv "ansible-$CDM_OLDEST" "$CDM_OLDEST_PYTHON" "ansible-core==$CDM_OLDEST"; }
newest_venv() { cdm_venv "ansible-$CDM_NEWEST" "$CDM_NEWEST_PYTHON" "ansible-core==$CDM_NEWEST"; }
tools_venv() { cdm_venv tools "$CDM_NEWEST_PYTHON" "ansible-core==$CDM_NEWEST" "$CDM_ROOT/requirements.txt" "$CDM_ROOT/tests/utils/requirements-tools.txt"; }

# stage NAME COMMAND...: run one stage, remember how it went, go on with the next.
stage() {
    local name="$1" start rc
    shift
    log "$name"
    start=$SECONDS
    set +e
    ( set -e; "$@" )
    rc=$?
    set -e
    summary+=("$(printf '%-34s %s  %4ds' "$name" "$([ $rc -eq 0 ] && echo ok || echo FAILED)" $((SECONDS - start)))")
    [ $rc -eq 0 ] || failures=$((failures + 1))
}

ansible_test() {
    local venv="$1"
    shift
    local copy
    copy="$(cdm_collection_copy)"
    (cd "$copy" && "$venv/bin/ansible-test" "$@")
}

run_units() {
    local venv="$1" python="$2"
    ansible_test "$venv" units --venv --requirements --python "$python" --color no
}

run_sanity() {
    local venv="$1" python="$2"
    ansible_test "$venv" sanity --venv --requirements --python "$python" --color no
}

run_simulator_tests() {
    local venv
    venv="$(tools_venv)"
    (cd "$CDM_ROOT" && "$venv/bin/python" -m pytest tests/simulator -q -p no:cacheprovider)
}

run_integration() {
    local venv
    venv="$(tools_venv)"
    CDM_PYTHON="$venv/bin/python" PATH="$venv/bin:$PATH" \
        ANSIBLE_COLLECTIONS_PATH="$(cdm_collections_path)" \
        "$CDM_ROOT/tests/integration/run.sh"
}

for s in $STAGES; do
    case "$s" in
        units)
            stage "units ansible-core $CDM_OLDEST py$CDM_OLDEST_PYTHON" run_units "$(oldest_venv)" "$CDM_OLDEST_PYTHON"
            stage "units ansible-core $CDM_NEWEST py$CDM_NEWEST_PYTHON" run_units "$(newest_venv)" "$CDM_NEWEST_PYTHON"
            stage "units ansible-core $CDM_NEWEST py3.9 (target)" run_units "$(newest_venv)" 3.9
            ;;
        sanity)
            cdm_shellcheck
            stage "sanity ansible-core $CDM_OLDEST" run_sanity "$(oldest_venv)" "$CDM_OLDEST_PYTHON"
            stage "sanity ansible-core $CDM_NEWEST" run_sanity "$(newest_venv)" "$CDM_NEWEST_PYTHON"
            ;;
        simulator) stage "simulator (pytest, vendor SDK)" run_simulator_tests ;;
        integration) stage "integration (playbooks on the simulator)" run_integration ;;
        ecosystem) stage "ecosystem (changelog, docs, lint, EE)" "$CDM_ROOT/tests/utils/ecosystem.sh" ;;
        *) echo "unknown stage: $s (stages: $ALL_STAGES)" >&2; exit 2 ;;
    esac
done

printf '\n%s\n' "stage                              result  time"
printf '%s\n' "${summary[@]}"
passed=$(( ${#summary[@]} - failures ))
printf '\nstages: %d passed, %d failed\n' "$passed" "$failures"
[ "$failures" -eq 0 ]
