#!/usr/bin/env bash
# Hostile values: names that look like paths, queries or fragments stay one
# path segment; values no encoding makes safe, and endpoints that are not
# plain http(s) URLs, are refused before anything is sent; an oversize answer
# is refused quickly and in bounded memory.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

work="$CDM_WORK"

# --log writes "time METHOD /raw/path STATUS" per request: the paths as they arrived.
export SIM_LOG="$work/requests.log"
sim_start --log "$SIM_LOG"
export HUAWEICLOUD_AUTH_TOKEN=sim-token

# Memory: the module's peak resident size reading a 20 MB answer, against
# reading a normal one. The client stops after 8 MiB + 1 byte, so the gap stays
# well under the 20 MB it would be if the whole body were read.
peak_rss_kib() {
    local collections="${ANSIBLE_COLLECTIONS_PATH:-${ANSIBLE_COLLECTIONS_PATHS:-$HOME/.ansible/collections}}"
    # ansible-test puts ansible-core on PYTHONPATH (its venvs do not install it): keep that.
    PYTHONPATH="${collections%%:*}${PYTHONPATH:+:$PYTHONPATH}" "$CDM_PYTHON" peak_rss.py "$1"
}
"$CDM_PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(
    sys.argv[1] + "/_sim/faults", method="POST", data=b"{\"kind\": \"oversize\", \"bytes\": 20000000, \"count\": -1, \"job\": \"jdbc2hive\"}"))' \
    "$SIM_URL"
normal="$(peak_rss_kib nightly_sync)"
oversize="$(peak_rss_kib jdbc2hive)"
echo "peak resident size: normal answer ${normal} KiB, 20 MB answer ${oversize} KiB"
if [ $((oversize - normal)) -ge $((16 * 1024)) ]; then
    echo "reading a 20 MB answer took $((oversize - normal)) KiB more than a normal one: the body is not bounded" >&2
    exit 1
fi

# The paths that arrived, the refusals, the oversize answer's message and time.
ansible-playbook -i localhost, -c local playbook.yml

echo "hostile_values target: ok"
