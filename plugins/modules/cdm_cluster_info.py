#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cdm_cluster_info
short_description: List the Huawei Cloud CDM clusters of a project
version_added: 1.1.0
description:
  - Returns the project's Cloud Data Migration (CDM) clusters, or one of them, each with its ID, name,
    status code and state in words, frozen flag, dates, endpoint, availability zone and flavor.
  - With neither O(cluster_id) nor O(cluster_name), one call lists every cluster
    (C(GET /v1.1/{project_id}/clusters)). O(cluster_id) reads that one cluster
    (C(GET /v1.1/{project_id}/clusters/{cluster_id})); O(cluster_name) reads the list and keeps the cluster
    of that name.
  - Reads only, so it runs in check mode too and never reports a change.
author:
  - huaweicloud.cdm contributors (@huaweicloud)
extends_documentation_fragment:
  - huaweicloud.cdm.connection
  - huaweicloud.cdm.read_only
options:
  cluster_id:
    description:
      - ID of one CDM cluster, a UUID such as V(6ec9a0a4-76be-4262-8697-e7af1fac7920). Only that cluster
        is returned.
      - A cluster that does not exist fails the module (the API's C(Cdm.0001), or HTTP 404).
      - At most one of O(cluster_id) and O(cluster_name); with neither, every cluster is returned.
    type: str
  cluster_name:
    description:
      - Name of one CDM cluster. Only that cluster is returned.
      - A name that names no cluster of the project fails, listing some names that exist; a name that
        several clusters share fails, listing their IDs.
      - At most one of O(cluster_id) and O(cluster_name); with neither, every cluster is returned.
    type: str
seealso:
  - module: huaweicloud.cdm.cdm_job_info
  - name: Querying the Cluster List (Huawei Cloud CDM API)
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-cdm/ListClusters.html
"""

EXAMPLES = r"""
- name: List every CDM cluster of the project (credentials and region from the environment)
  huaweicloud.cdm.cdm_cluster_info:
  register: cdm

- name: Show the clusters that are not running normally
  ansible.builtin.debug:
    msg: "{{ cdm.clusters | rejectattr('state', 'eq', 'normal') | map(attribute='name') | list }}"

- name: Find a cluster's ID from its name
  huaweicloud.cdm.cdm_cluster_info:
    cluster_name: cdm-demo
  register: demo

- name: Use it
  ansible.builtin.debug:
    msg: "{{ demo.clusters[0].id }} is {{ demo.clusters[0].state }}"
"""

RETURN = r"""
clusters:
  description:
    - The clusters, in the order the API lists them; one with O(cluster_id) or O(cluster_name).
  returned: success
  type: list
  elements: dict
  contains:
    id: {description: The cluster's ID., type: str, returned: always, sample: 6ec9a0a4-76be-4262-8697-e7af1fac7920}
    name: {description: The cluster's name., type: str, returned: always, sample: cdm-demo}
    status:
      description: The API's status code, a string such as V(200); null when the API sent none.
      type: str
      returned: always
      sample: "200"
    state:
      description:
        - The status in words, V(creating) (100), V(normal) (200), V(failed) (300), V(create_failed) (303),
          V(restarting) (500), V(frozen) (800), V(stopped) (900), V(stopping) (910) or V(starting) (920).
        - A code the API adds later passes through as it came; V(unknown) when there is none.
      type: str
      returned: always
      sample: normal
    frozen: {description: Whether the cluster is frozen (the API's C(isFrozen))., type: bool, returned: always}
    created: {description: Creation time as the API sends it (ISO 8601 without zone)., type: str, returned: always}
    updated: {description: Last update time as the API sends it., type: str, returned: always}
    endpoint: {description: The cluster's public endpoint (the API's C(publicEndpoint))., type: str, returned: always}
    az: {description: The availability zone (the API's C(azName))., type: str, returned: always, sample: cn-north-4a}
    flavor: {description: The flavor (the API's C(flavorName))., type: str, returned: always, sample: cdm.medium}
http_status:
  description: HTTP status of the failed call; null when no answer came (timeout, connection error).
  returned: failure
  type: int
error_code:
  description: The API's error code of the failed call, such as V(Cdm.0001) or V(APIG.0308).
  returned: failure
  type: str
error_message:
  description: The API's error message of the failed call.
  returned: failure
  type: str
request_id:
  description: The C(X-Request-Id) of the failed call's answer; quote it to Huawei Cloud support.
  returned: failure
  type: str
retryable:
  description: Whether the failure is transient (HTTP 429, 5xx, a timeout, a connection error), so trying again later may succeed.
  returned: failure
  type: bool
"""

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _clusters
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils._module import CdmModule


def main():
    module = CdmModule(argument_spec=dict(_options.CLUSTER_ARGSPEC),
                       mutually_exclusive=_options.CLUSTER_CHOICE["mutually_exclusive"])
    cluster_id, name = module.params["cluster_id"], module.params["cluster_name"]
    try:
        for option, value in (("cluster_id", cluster_id), ("cluster_name", name)):
            if value is not None:
                _options.check_path_value(option, value)
    except _options.OptionError as error:
        module.fail_option(error)
    connection = module.connection()
    client = module.client(connection)
    try:
        if cluster_id is not None:
            clusters = [_clusters.show_cluster(client, connection, cluster_id)]
        else:
            clusters, _request_id = _clusters.list_clusters(client, connection)
            if name is not None:
                wanted = _clusters.resolve_name(clusters, name)
                clusters = [cluster for cluster in clusters if cluster.get("id") == wanted]
    except _clusters.ClusterNameError as error:
        module.fail_option(error)
    except _errors.CdmError as error:
        module.fail_call(error)
    module.exit_json(changed=False, clusters=[_clusters.normalise(cluster) for cluster in clusters])


if __name__ == "__main__":
    main()
