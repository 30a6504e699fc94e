# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The project's CDM clusters: the list call, one cluster's call, each cluster normalised, and a name resolved to its ID."""

from __future__ import annotations

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors

# The API's status codes (strings), in words.
STATES = {
    "100": "creating", "200": "normal", "300": "failed", "303": "create_failed", "500": "restarting",
    "800": "frozen", "900": "stopped", "910": "stopping", "920": "starting",
}
# How many names an "unknown cluster name" error lists.
_NAMES_SHOWN = 5


class ClusterNameError(ValueError):
    """A cluster name that names no cluster, or several: nothing was sent about any job."""


def list_clusters(client, connection):
    """The project's clusters as the API returns them, and the request id."""
    body, request_id = client.call("GET", connection.url("clusters"))
    clusters = body.get("clusters") if isinstance(body, dict) else None
    if not isinstance(clusters, list):
        raise _errors.malformed_body(200, str(body)[:200], request_id, "no clusters list in the answer")
    return [cluster for cluster in clusters if isinstance(cluster, dict)], request_id


def show_cluster(client, connection, cluster_id):
    """One cluster as the API returns it; raises CdmError (Cdm.0001, or a 404, for an unknown cluster)."""
    body, request_id = client.call("GET", connection.url("clusters", cluster_id))
    # The SDK reads the cluster's fields at the top level; a wrapped {"cluster": {...}} is read too.
    cluster = body.get("cluster", body) if isinstance(body, dict) else None
    if not isinstance(cluster, dict) or not cluster.get("id"):
        raise _errors.malformed_body(200, str(body)[:200], request_id, "no cluster in the answer")
    return cluster


def normalise(cluster):
    """One cluster in the collection's words (the API's raw fields stay available to ``cdm_cluster_info``)."""
    status = cluster.get("status")
    status = None if status is None else str(status)
    return {
        "id": cluster.get("id"),
        "name": cluster.get("name"),
        "status": status,
        "state": STATES.get(status, "unknown" if status is None else status),
        "frozen": str(cluster.get("isFrozen")) == "1",
        "created": cluster.get("created"),
        "updated": cluster.get("updated"),
        "endpoint": cluster.get("publicEndpoint"),
        "az": cluster.get("azName"),
        "flavor": cluster.get("flavorName"),
    }


def resolve_name(clusters, name):
    """The ID of the one cluster called ``name`` among ``clusters``; raises ClusterNameError otherwise."""
    matches = [cluster for cluster in clusters if cluster.get("name") == name]
    if len(matches) == 1 and matches[0].get("id"):
        return matches[0]["id"]
    if matches:
        raise ClusterNameError("cluster_name %r matches %d clusters (%s): give cluster_id instead" % (
            name, len(matches), ", ".join(str(cluster.get("id")) for cluster in matches)))
    names = sorted(str(cluster.get("name")) for cluster in clusters)
    if not names:
        raise ClusterNameError("cluster_name %r: the project has no CDM cluster" % name)
    shown = ", ".join(names[:_NAMES_SHOWN])
    if len(names) > _NAMES_SHOWN:
        shown += " and %d more" % (len(names) - _NAMES_SHOWN)
    raise ClusterNameError("cluster_name %r names no cluster of the project; it has: %s" % (name, shown))


def cluster_id_for_name(client, connection, name):
    """One cluster-list call resolves ``name``; raises CdmError (the call) or ClusterNameError (the name)."""
    clusters, _request_id = list_clusters(client, connection)
    return resolve_name(clusters, name)
