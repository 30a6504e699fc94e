# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The CDM job calls the modules make, each a URL, one request and a normalisation."""

from __future__ import annotations

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission


def status_url(client, project_id, cluster_id, job_name):
    return client.project_url(project_id, "clusters", cluster_id, "cdm", "job", job_name, "status")


def job_status(client, project_id, cluster_id, job_name):
    """(result, raw body) for one job's status; raises CdmError on a failed call."""
    body, request_id = client.call("GET", status_url(client, project_id, cluster_id, job_name))
    if not isinstance(body, dict):
        raise _errors.malformed_body(200, str(body)[:200], request_id, "a JSON %s where an object was expected" % type(body).__name__)
    result = _submission.summarise(body, job_name=job_name)
    result["job_name"] = job_name
    result["request_id"] = request_id
    return result, body
