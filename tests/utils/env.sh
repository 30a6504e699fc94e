#!/usr/bin/env bash
# Sourced by the other scripts: builds (once) and activates the tool environments.
#
#   CDM_CACHE      where venvs and copies live (default: <repo>/.cache)
#   CDM_OLDEST     ansible-core oldest supported, tested on Python 3.11
#   CDM_NEWEST     ansible-core newest supported, tested on Python 3.12
set -euo pipefail

CDM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CDM_CACHE="${CDM_CACHE:-$CDM_ROOT/.cache}"
CDM_OLDEST="${CDM_OLDEST:-2.19.14}"
CDM_OLDEST_PYTHON="${CDM_OLDEST_PYTHON:-3.11}"
CDM_NEWEST="${CDM_NEWEST:-2.21.5}"
CDM_NEWEST_PYTHON="${CDM_NEWEST_PYTHON:-3.12}"
export CDM_ROOT CDM_CACHE CDM_OLDEST CDM_OLDEST_PYTHON CDM_NEWEST CDM_NEWEST_PYTHON

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# ansible-test looks for interpreters as pythonX.Y on PATH; pyenv's shims only
# answer for the active version, so give it a folder of direct links.
cdm_python_bin() {
    local bin="$CDM_CACHE/pybin" version found
    mkdir -p "$bin"
    for version in 3.9 3.10 3.11 3.12 3.13; do
        [ -x "$bin/python$version" ] && continue
        found="$(command -v "python$version" 2>/dev/null || true)"
        if [ -z "$found" ] || ! "$found" -c '' 2>/dev/null; then
            found=""
            for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/"python$version"; do
                [ -x "$candidate" ] && found="$candidate"
            done
        fi
        [ -n "$found" ] && ln -sf "$found" "$bin/python$version"
    done
    case ":$PATH:" in *":$bin:"*) ;; *) PATH="$bin:$PATH" ;; esac
    export PATH
}

# ansible-test downloads a pip bootstrap script from a CI file host this
# machine cannot reach; an equivalent that uses ensurepip and the package
# registry is placed where it looks first.
cdm_pip_standin() {
    local cache="$HOME/.ansible/test/cache" name
    mkdir -p "$cache"
    for name in get_pip_24_2.py get_pip_25_2.py; do
        cat > "$cache/$name" <<'PY'
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args))
PY
    done
}

# cdm_venv NAME PYTHON REQUIREMENTS... : create (once) and print the venv path.
cdm_venv() {
    local name="$1" python="$2" venv stamp want
    shift 2
    venv="$CDM_CACHE/venv/$name"
    stamp="$venv/.cdm-requirements"
    want="$(printf '%s\n' "$@"; for f in "$@"; do [ -f "$f" ] && cat "$f"; done)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        log "setting up $name (python$python)" 
        rm -rf "$venv"
        "python$python" -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
        local args=() arg
        for arg in "$@"; do
            if [ -f "$arg" ]; then args+=(-r "$arg"); else args+=("$arg"); fi
        done
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${args[@]}" >&2
        printf '%s' "$want" > "$stamp"
    fi
    printf '%s\n' "$venv"
}

# ansible-test insists on running from .../ansible_collections/NAMESPACE/NAME:
# copy the working tree (tracked and new files, not ignored ones) there.
cdm_collection_copy() {
    local dest="$CDM_CACHE/ansible-test/ansible_collections/huaweicloud/cdm"
    rm -rf "$dest"
    mkdir -p "$dest"
    if git -C "$CDM_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$CDM_ROOT" && git ls-files -z --cached --others --exclude-standard \
            | python3 -c 'import os, sys; sys.stdout.write("".join(p + "\0" for p in sys.stdin.read().split("\0") if p and os.path.lexists(p)))' \
            | tar --null -T - -cf -) | tar -xf - -C "$dest"
    else
        (cd "$CDM_ROOT" && tar --exclude=./.cache --exclude=./tests/output --exclude=./collections -cf - .) | tar -xf - -C "$dest"
    fi
    # The copy sits inside this repository's ignored .cache/: give it a repository
    # of its own, or ansible-test finds the outer one and sees no files.
    git -C "$dest" init -q
    git -C "$dest" add -A
    printf '%s\n' "$dest"
}

# A collections path whose huaweicloud.cdm is this working tree, for playbooks.
cdm_collections_path() {
    local path="$CDM_CACHE/collections"
    mkdir -p "$path/ansible_collections/huaweicloud"
    ln -sfn "$CDM_ROOT" "$path/ansible_collections/huaweicloud/cdm"
    printf '%s\n' "$path"
}

# ansible-test's shellcheck sanity test is skipped without the program; install
# it where we may (CI runs as root on Debian), so the check really runs.
cdm_shellcheck() {
    command -v shellcheck >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing shellcheck"
        (apt-get install -y -qq shellcheck >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq shellcheck >/dev/null 2>&1; }) \
            || log "could not install shellcheck; ansible-test will skip its shellcheck test"
    fi
}

cdm_python_bin
