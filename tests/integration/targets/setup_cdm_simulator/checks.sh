#!/usr/bin/env bash
# Sourced by simulator.sh: the steps the targets share to run Ansible and judge
# its output. Every run appends to one log, the target's output, which the
# secret search reads whole; each run's own output is kept apart too, for the
# checks of that one run.
#
#   log_to NAME                      later runs go to $CDM_WORK/NAME.log (CDM_LOG); a new log
#   secrets LABEL=VALUE...           what must never reach the output (a value may be a marker
#                                    every secret contains); never printed, only named by LABEL
#   run COMMAND...                   runs it, its output appended to CDM_LOG and kept in CDM_LAST
#   fails COMMAND...                 the same, and the target fails if the command succeeds
#   adhoc MODULE ARGS [OPTION...]    ansible ad hoc on localhost (wrap it in run or fails)
#   playbook [OPTION...] PLAYBOOK    ansible-playbook on localhost (idem)
#   expect [-a] [-j] [-E] PATTERN... each grep pattern matches a line of the last run (-a: of
#                                    CDM_LOG; -j: with lines joined, as ansible-core 2.16 wraps
#                                    warnings at the terminal's width; -E: extended regexes)
#   refuse [-a] [-j] [-E] PATTERN... no line matches any pattern
#   excuse PREFIX...                 the secret search lets through whole lines that start
#                                    with a PREFIX (a fixed string): lines that are not ours
#   refuse_secrets                   no registered secret in CDM_LOG
#   refuse_traceback [-a]            no Python traceback
#   show [-n LINES] [FILE]           prints FILE (default CDM_LOG) with the secrets masked
#
# On a failed target, the EXIT trap shows the end of CDM_LOG, masked.

CDM_LOG=""
CDM_LAST=""
CDM_RUNS=0
CDM_SECRETS=()
CDM_EXCUSED=()

log_to() {
    CDM_LOG="$CDM_WORK/$1.log"
    CDM_LAST="$CDM_WORK/$1.last"
    CDM_RUNS=0
    : >"$CDM_LOG"
    : >"$CDM_LAST"
}

secrets() {
    local pair
    for pair in "$@"; do
        # An empty value would match every line: a secret the caller forgot to set.
        if [ -z "${pair#*=}" ] || [ "$pair" = "${pair#*=}" ]; then
            echo "secrets: ${pair%%=*} has no value" >&2
            return 1
        fi
        CDM_SECRETS+=("$pair")
    done
}

excuse() {
    CDM_EXCUSED+=("$@")
}

# The marker line names no argument: the arguments hold the secrets.
run() {
    [ -n "$CDM_LOG" ] || log_to output
    CDM_RUNS=$((CDM_RUNS + 1))
    echo "=== run $CDM_RUNS" >>"$CDM_LOG"
    local rc=0
    "$@" >"$CDM_LAST" 2>&1 || rc=$?
    cat "$CDM_LAST" >>"$CDM_LOG"
    return "$rc"
}

fails() {
    if run "$@"; then
        echo "run $CDM_RUNS succeeded; it must fail" >&2
        return 1
    fi
}

adhoc() {
    local module="$1" args="$2"
    shift 2
    ansible localhost -i localhost, -c local -m "$module" -a "$args" "$@"
}

playbook() {
    ansible-playbook -i localhost, -c local "$@"
}

# expect/refuse options: -a (all of CDM_LOG), -j (lines joined), -E; sets _file, _joined, _grep, _shift.
_checked() {
    _file="$CDM_LAST" _joined="" _grep=-G _shift=0
    while [ $# -gt 0 ]; do
        case "$1" in
            -a) _file="$CDM_LOG" ;;
            -j) _joined=1 ;;
            -E) _grep=-E ;;
            *) break ;;
        esac
        shift
        _shift=$((_shift + 1))
    done
}

# Not `tr | grep -q` under pipefail: grep -q ends at the first match, and the
# writer's SIGPIPE would fail the pipeline that matched.
_matches() {  # PATTERN
    if [ -n "$_joined" ]; then
        grep "$_grep" -q -- "$1" < <(tr '\n' ' ' <"$_file")
    else
        grep "$_grep" -q -- "$1" "$_file"
    fi
}

expect() {
    _checked "$@"
    shift "$_shift"
    local pattern
    for pattern in "$@"; do
        if ! _matches "$pattern"; then
            echo "the output lacks $pattern: a case did not run or changed" >&2
            return 1
        fi
    done
}

refuse() {
    _checked "$@"
    shift "$_shift"
    local pattern
    for pattern in "$@"; do
        if _matches "$pattern"; then
            echo "the output must not hold $pattern" >&2
            return 1
        fi
    done
}

refuse_secrets() {
    local pair lines leaked=0
    [ "${#CDM_SECRETS[@]}" -gt 0 ] || { echo "refuse_secrets: no secret registered" >&2; return 1; }
    [ -s "$CDM_LOG" ] || { echo "refuse_secrets: the output is empty" >&2; return 1; }
    for pair in "${CDM_SECRETS[@]}"; do
        # The excused prefixes reach awk as its arguments (ARGV), read as they are.
        lines="$(grep -n -F -- "${pair#*=}" "$CDM_LOG" \
            | awk -F: 'BEGIN { for (i = 1; i < ARGC; i++) { excused[i] = ARGV[i]; delete ARGV[i] } }
                { line = substr($0, length($1) + 2); for (i in excused) if (index(line, excused[i]) == 1) next
                  printf "%s ", $1 }' "${CDM_EXCUSED[@]}" || true)"
        if [ -n "$lines" ]; then
            echo "secret '${pair%%=*}' is in the output ($CDM_LOG), lines: $lines" >&2
            leaked=1
        fi
    done
    if [ "$leaked" -ne 0 ]; then return 1; fi
    echo "searched $(wc -l <"$CDM_LOG") lines of output of $CDM_RUNS runs for ${#CDM_SECRETS[@]} secrets: none"
}

refuse_traceback() {
    _checked "$@"
    if grep -q 'Traceback (most recent call last)' "$_file"; then
        echo "a traceback reached the output:" >&2
        grep -A5 'Traceback (most recent call last)' "$_file" | show -n 0 - >&2
        return 1
    fi
}

show() {
    local count=0 file line pair
    if [ "${1:-}" = "-n" ]; then count="${2:-0}"; shift 2; fi
    file="${1:-$CDM_LOG}"
    [ "$file" = "-" ] || [ -s "$file" ] || return 0
    if [ "$count" -gt 0 ]; then tail -n "$count" "$file"; else cat "$file"; fi | while IFS= read -r line || [ -n "$line" ]; do
        for pair in "${CDM_SECRETS[@]}"; do
            line="${line//"${pair#*=}"/<${pair%%=*}>}"
        done
        printf '%s\n' "$line"
    done
}
