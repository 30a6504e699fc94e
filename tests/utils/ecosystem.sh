#!/usr/bin/env bash
# How the collection fits the Ansible ecosystem, one check after another (a
# failed check does not stop the others):
#   changelog     antsibull-changelog lint, changelog.yaml valid, CHANGELOG.md generated from it
#   docs          antsibull-docs lint-collection-docs --plugin-docs: plugin and role docs, and
#                 the guides in docs/docsite/ (extra-docs.yml, links.yml, rst/ with rstcheck)
#   ansible-doc   every module, test, filter and role renders, without a warning
#   env-vars      every environment variable an option falls back to is in its docs
#   readme-examples  every playbook example of README.md is in tests/readme/examples.yml
#                 (which the packaging integration target runs)
#   ansible-lint  production profile: roles/, playbooks/, tests/readme/ (see .ansible-lint)
#   builder       ansible-builder finds requests and jmespath for execution environments
# Closing line: "ecosystem: N passed, N failed". Tools: .cache/venv/lint
# (tests/utils/requirements-lint.txt with ansible-core $CDM_NEWEST).
set -euo pipefail
# shellcheck source=tests/utils/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# pip warns about every unusable local index location: noise, not news.
venv="$(cdm_venv lint "$CDM_NEWEST_PYTHON" "ansible-core==$CDM_NEWEST" "$CDM_ROOT/tests/utils/requirements-lint.txt" \
    2> >(grep -v "WARNING: Location 'file:" >&2))"
PATH="$venv/bin:$PATH"
ANSIBLE_COLLECTIONS_PATH="$(cdm_collections_path)"
export PATH ANSIBLE_COLLECTIONS_PATH ANSIBLE_NOCOLOR=1 NO_COLOR=1 ANSIBLE_LINT_SKIP_SCHEMA_UPDATE=1
out="$CDM_ROOT/tests/output/ecosystem"
rm -rf "$out"
mkdir -p "$out"
cd "$CDM_ROOT"

passed=0
failed=0
results=()
# check NAME COMMAND...: run one check, keep its output in tests/output/ecosystem/NAME.log.
check() {
    local name="$1" start=$SECONDS rc
    shift
    log "ecosystem: $name"
    set +e
    ( set -e; "$@" ) 2>&1 | tee "$out/$name.log"
    rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    results+=("$(printf '  %-28s %s (%ds)' "$name" "$([ "$rc" -eq 0 ] && echo passed || echo failed)" $((SECONDS - start)))")
}

changelog() {
    antsibull-changelog lint
    antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
    # CHANGELOG.md must be what `antsibull-changelog generate` makes of changelog.yaml.
    local tmp
    tmp="$(mktemp -d)"
    cp -r galaxy.yml changelogs "$tmp/"
    (cd "$tmp" && antsibull-changelog generate)
    if ! diff -u CHANGELOG.md "$tmp/CHANGELOG.md"; then
        rm -rf "$tmp"
        echo "CHANGELOG.md is not generated from changelogs/changelog.yaml: run antsibull-changelog generate" >&2
        return 1
    fi
    rm -rf "$tmp"
}

docs() {
    antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs --validate-collection-refs all \
        --disallow-unknown-collection-refs .
}

# ansible-core 2.21 itself warns about its internal _protomatter collection when
# it lists roles; that line is not about this collection.
ansible_doc_quiet() {
    local err rc=0
    err="$(mktemp)"
    ansible-doc "$@" 2>"$err" || rc=$?
    grep -v "ansible_collections/ansible/_protomatter' does not have a MANIFEST.json" "$err" >&2 && rc=1
    rm -f "$err"
    return "$rc"
}

# The plugins and roles the tree has, as TYPE NAME lines (from files, so one that
# fails to load is still asked for).
collection_content() {
    local file
    for file in plugins/modules/*.py; do
        echo "module huaweicloud.cdm.$(basename "$file" .py)"
    done
    for file in plugins/test/*.yml plugins/filter/*.yml; do
        [ -f "$file" ] && echo "$(basename "$(dirname "$file")") huaweicloud.cdm.$(basename "$file" .yml)"
    done
    for file in plugins/filter/*.py plugins/test/*.py; do
        [ -f "$file" ] && grep -q '^DOCUMENTATION' "$file" \
            && echo "$(basename "$(dirname "$file")") huaweicloud.cdm.$(basename "$file" .py)"
    done
    for file in roles/*/meta/argument_specs.yml; do
        [ -f "$file" ] && echo "role huaweicloud.cdm.$(basename "$(dirname "$(dirname "$file")")")"
    done
    return 0
}

ansible_doc_all() {
    local type name count=0 bad=0 text
    while read -r type name; do
        count=$((count + 1))
        if ! text="$(ansible_doc_quiet -t "$type" "$name")" || [ -z "$text" ] \
            || { [ "$type" = role ] && ! grep -q 'ENTRY POINT: .*main' <<<"$text"; }; then
            echo "ansible-doc -t $type $name: failed, warned or rendered nothing" >&2
            bad=$((bad + 1))
            continue
        fi
        ansible_doc_quiet --json -t "$type" "$name" > "$out/doc-$type-$name.json" || bad=$((bad + 1))
        echo "ansible-doc -t $type $name: ok"
    done < <(collection_content)
    # Every plugin ansible-doc lists is one of those (a .py without docs would hide).
    for type in module test filter role; do
        ansible_doc_quiet -t "$type" -l huaweicloud.cdm --json \
            | python3 -c 'import json, sys; [print(sys.argv[1], n) for n in json.load(sys.stdin)]' "$type"
    done | sort > "$out/listed"
    collection_content | sort > "$out/files"
    if ! diff -u "$out/files" "$out/listed"; then
        echo "ansible-doc lists other plugins than the tree documents (- files, + listed)" >&2
        bad=$((bad + 1))
    fi
    echo "ansible-doc: $count rendered, $bad problems"
    [ "$bad" -eq 0 ] && [ "$count" -ge 6 ]
}

# Every env_fallback in the modules' argument specs must be named, as E(NAME), in
# that option's documentation as ansible-doc shows it.
env_vars_documented() {
    python3 - "$out" <<'PY'
import ast
import glob
import json
import os
import sys

out = sys.argv[1]


def fallbacks(path):
    """{option: [env var, ...]} for each `name=dict(..., fallback=(env_fallback, [...]))` in the file."""
    found = {}
    for node in ast.walk(ast.parse(open(path).read(), path)):
        if not isinstance(node, ast.keyword) or not isinstance(node.value, ast.Call):
            continue
        for inner in node.value.keywords:
            value = inner.value
            if inner.arg == "fallback" and isinstance(value, ast.Tuple) and len(value.elts) == 2 \
                    and getattr(value.elts[0], "id", None) == "env_fallback":
                found[node.arg] = [ast.literal_eval(e) for e in value.elts[1].elts]
    return found


shared = fallbacks("plugins/module_utils/_options.py")
problems = checked = 0
for module in sorted(glob.glob("plugins/modules/*.py")):
    name = "huaweicloud.cdm." + os.path.basename(module)[:-3]
    doc = os.path.join(out, "doc-module-%s.json" % name)
    if not os.path.exists(doc):
        print("%s: ansible-doc gave no documentation to check" % name)
        problems += 1
        continue
    with open(doc) as f:
        options = json.load(f)[name]["doc"]["options"]
    for option, envs in sorted(dict(shared, **fallbacks(module)).items()):
        if option not in options:
            print("%s: option %s falls back to %s but is not documented" % (name, option, ", ".join(envs)))
            problems += 1
            continue
        description = options[option]["description"]
        text = " ".join(description) if isinstance(description, list) else description
        for env in envs:
            checked += 1
            if "E(%s)" % env not in text:
                print("%s: the docs of option %s do not name E(%s)" % (name, option, env))
                problems += 1
print("env vars: %d checked, %d undocumented" % (checked, problems))
sys.exit(1 if problems or not checked else 0)
PY
}

# Every ```yaml block of README.md that is a list (plays or tasks) must be in
# tests/readme/examples.yml, which the packaging target runs: a play as a play,
# tasks as consecutive tasks of a play ("(test ...)" tasks of the file aside).
readme_examples() {
    python3 - README.md tests/readme/examples.yml <<'PY'
import re
import sys

import yaml

readme, examples = sys.argv[1], sys.argv[2]
blocks = re.findall(r"^```ya?ml\n(.*?)^```", open(readme).read(), re.S | re.M)
plays = [dict(play, tasks=[t for t in play.get("tasks", []) if not str(t.get("name", "")).startswith("(test")])
         for play in yaml.safe_load(open(examples))]


def contains(tasks, part):
    return any(tasks[i:i + len(part)] == part for i in range(len(tasks) - len(part) + 1))


missing = 0
blocks = [block for block in blocks if isinstance(yaml.safe_load(block), list)]  # plays and tasks, not other files
for block in blocks:
    items = yaml.safe_load(block)
    if all("hosts" in item for item in items):
        found = all(item in plays for item in items)
    else:
        found = any(contains(play["tasks"], items) for play in plays)
    if not found:
        missing += 1
        print("README.md example not in %s (or changed there):\n%s" % (examples, block))
print("README examples: %d found in %s, %d missing" % (len(blocks) - missing, examples, missing))
sys.exit(1 if missing or not blocks else 0)
PY
}

lint() {
    ansible-lint --offline --profile production --strict
}

builder() {
    ansible-builder introspect --sanitize "$ANSIBLE_COLLECTIONS_PATH" | tee "$out/introspect.yml"
    grep -q "requests.*# from collection huaweicloud.cdm" "$out/introspect.yml"
    grep -q "jmespath.*# from collection huaweicloud.cdm" "$out/introspect.yml"
}

check changelog changelog
check docs docs
check ansible-doc ansible_doc_all
check env-vars env_vars_documented
check readme-examples readme_examples
check ansible-lint lint
check builder builder

echo
printf '%s\n' "${results[@]}"
echo "ecosystem: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
