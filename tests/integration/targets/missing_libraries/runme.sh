#!/usr/bin/env bash
# The modules on a host whose Python lacks requests or jmespath: the failure names
# the library and the command that installs it, sends nothing, and still returns
# the keys until-loops read. Two interpreters stand in for such hosts:
#   bare           a venv with nothing installed (no requests, no jmespath)
#   requests_only  a venv that sees requests (and what it imports) but not jmespath
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

hosts="$CDM_WORK"

# Same Python version as the controller's, so compiled parts of requests' own
# dependencies load; --without-pip keeps the venvs empty.
"$CDM_PYTHON" -m venv --without-pip "$hosts/bare"
"$CDM_PYTHON" -m venv --without-pip "$hosts/requests_only"
"$CDM_PYTHON" hosts.py "$hosts"

# Preconditions, so a pass means what it says.
if "$hosts/bare/bin/python" -c 'import requests' 2>/dev/null; then echo "bare venv sees requests" >&2; exit 1; fi
if "$hosts/bare/bin/python" -c 'import jmespath' 2>/dev/null; then echo "bare venv sees jmespath" >&2; exit 1; fi
"$hosts/requests_only/bin/python" -c 'import requests'
if "$hosts/requests_only/bin/python" -c 'import jmespath' 2>/dev/null; then echo "requests_only venv sees jmespath" >&2; exit 1; fi

sim_start --speed 600
export HUAWEICLOUD_AUTH_TOKEN=sim-token
BARE_PYTHON="$hosts/bare/bin/python" REQUESTS_ONLY_PYTHON="$hosts/requests_only/bin/python" playbook playbook.yml

# Ad hoc, what a user sees on the command line.
fails adhoc huaweicloud.cdm.cdm_job_status "cluster_id=$SIM_CLUSTER_ID job_name=jdbc2hive" \
    -e "ansible_python_interpreter=$hosts/bare/bin/python"
expect 'Failed to import the required Python library (requests)' 'pip install requests'
refuse 'Traceback'  # not at default verbosity

# Nothing was sent by the failing runs (all about jdbc2hive or IAM): a missing
# library is found before any request. Only the requests-only run reached the API.
sim_stats | "$CDM_PYTHON" sent_nothing.py
echo "missing_libraries target: ok"
