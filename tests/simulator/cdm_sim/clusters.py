# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Clusters as ``GET /v1.1/{project_id}/clusters`` and ``GET .../clusters/{id}`` show them."""

# The API's status codes are strings; statusDetail says them in words.
CLUSTER_STATUSES = {
    "100": "Creating", "200": "Normal", "300": "Failed", "303": "Create failed", "500": "Restarting",
    "800": "Frozen", "900": "Stopped", "910": "Stopping", "920": "Starting",
}


def cluster_view(cluster, index, region):
    """One cluster: every field the list and the one-cluster call share, then the scenario's ``details``."""
    view = {
        "id": cluster["id"],
        "name": cluster["name"],
        "status": cluster["status"],
        "statusDetail": CLUSTER_STATUSES.get(cluster["status"], "Unknown"),
        # A string, "0" or "1", not a boolean.
        "isFrozen": "1" if cluster["frozen"] else "0",
        # ISO 8601 without a zone, as the API sends them.
        "created": "2024-01-01T00:00:00",
        "updated": "2024-01-01T00:00:00",
        # TEST-NET-1 addresses: documentation-only, never routable.
        "publicEndpoint": "192.0.2.%d" % (10 + index % 240),
        "flavorName": "cdm.medium",
        "azName": region + "a",
        "dbuser": "cdm",
        "clusterMode": "sharding",
        "namespace": "SYS.CDM",
        "recentEvent": 0,
        "isAutoOff": False,
        "isScheduleBootOff": False,
        "datastore": {"type": "cdm", "version": "2.10.0"},
        "actionProgress": {},
        "instances": [],
    }
    view.update(cluster["details"])
    return view
