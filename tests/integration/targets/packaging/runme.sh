#!/usr/bin/env bash
# The collection as users get it: build the tarball from the working tree, check
# that it ships no test output, caches or venvs but does ship what ansible-builder
# and ansible-doc read, install it into an empty collections path, and run the
# README's examples (tests/readme/examples.yml) and its command lines against the
# simulator with that path only, so nothing comes from this working tree.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

work="$CDM_WORK"

version="$("$CDM_PYTHON" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["version"])' "$CDM_ROOT/galaxy.yml")"
tarball="$work/dist/huaweicloud-cdm-$version.tar.gz"

ansible-galaxy collection build "$CDM_ROOT" --output-path "$work/dist"
[ -f "$tarball" ] || { echo "no $tarball" >&2; ls -l "$work/dist" >&2; exit 1; }
tar -tzf "$tarball" | sed 's|^\./||' | sort > "$work/contents"
echo "tarball: $(wc -l < "$work/contents") entries, $(du -k "$tarball" | cut -f1) KiB"

# Nothing built, cached or installed by the test command or an editor.
forbidden='(^|/)(\.cache|tests/output|__pycache__|\.pytest_cache|\.hypothesis|\.ansible|\.git|\.ci|\.mypy_cache|\.tox|\.venv|venv|collections)(/|$)|\.pyc$|\.tar\.gz$'
if grep -E "$forbidden" "$work/contents"; then
    echo "the tarball ships the paths above; add them to build_ignore in galaxy.yml" >&2
    exit 1
fi

# What users, ansible-builder and Galaxy read.
for required in MANIFEST.json FILES.json README.md requirements.txt meta/runtime.yml \
    meta/execution-environment.yml plugins/modules/cdm_job_status.py plugins/modules/iam_token.py \
    plugins/doc_fragments/connection.py plugins/test/finished.py plugins/test/succeeded.py LICENSES/GPL-3.0-or-later.txt \
    plugins/filter/wait_state.py roles/job_wait/meta/argument_specs.yml roles/job_wait/tasks/main.yml \
    playbooks/wait_for_job.yml playbooks/start_and_wait.yml CHANGELOG.md changelogs/changelog.yaml; do
    grep -qxF "$required" "$work/contents" || { echo "the tarball lacks $required" >&2; exit 1; }
done

# From here on only the installed copy exists for Ansible: not the runner's
# collections path (a link to this working tree), nor any on sys.path. Set
# before installing, or ansible-galaxy finds the tree "already installed".
mkdir -p "$work/collections"
export ANSIBLE_COLLECTIONS_PATH="$work/collections"
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=0
ansible-galaxy collection install --offline -p "$work/collections" "$tarball"
installed="$work/collections/ansible_collections/huaweicloud/cdm"
[ -f "$installed/MANIFEST.json" ] || { echo "not installed at $installed" >&2; exit 1; }
ansible-galaxy collection list huaweicloud.cdm --format json > "$work/list.json"
"$CDM_PYTHON" installed_once.py "$work/list.json" "$work/collections/ansible_collections" "$version"
ansible-doc -t module huaweicloud.cdm.cdm_job_status > /dev/null
ansible-doc -t role huaweicloud.cdm.job_wait | grep -q 'job_wait_job_name'

sim_start --scenario "$CDM_ROOT/tests/readme/scenario.yml" --speed 6000
export HUAWEICLOUD_AUTH_TOKEN=sim-token

# A small playbook on the installed collection first, then the README's examples.
cat > "$work/smoke.yml" <<'YAML'
- name: The installed collection against the simulator
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Read a job's status
      huaweicloud.cdm.cdm_job_status:
        cluster_id: "{{ lookup('ansible.builtin.env', 'SIM_CLUSTER_ID') }}"
        job_name: nightly_sync
      register: job

    - name: The module answered from the installed copy
      ansible.builtin.assert:
        that:
          - job.status == 'SUCCEEDED'
          - job is huaweicloud.cdm.succeeded
          - (job | huaweicloud.cdm.wait_state) == 'succeeded'
YAML
ansible-playbook -i localhost, -c local "$work/smoke.yml"

# The README's playbooks, as one tested file.
ansible-playbook -i localhost, -c local "$CDM_ROOT/tests/readme/examples.yml"

# The README's command lines (no inventory: the implicit localhost).
out="$(ansible localhost -m huaweicloud.cdm.cdm_job_status \
    -a "cluster_id=6ec9a0a4-76be-4262-8697-e7af1fac7920 job_name=jdbc2hive")"
grep -q '"status": "SUCCEEDED"' <<<"$out"
ansible-playbook huaweicloud.cdm.wait_for_job -e job_name=jdbc2hive -e cluster_id=6ec9a0a4-76be-4262-8697-e7af1fac7920
ansible-playbook huaweicloud.cdm.start_and_wait -e job_name=jdbc2hive -e cluster_id=6ec9a0a4-76be-4262-8697-e7af1fac7920
echo "packaging target: ok"
