# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Job definitions as the create and change calls take them, and as a read gives them back.

A write takes input values plain; a read sends them URL-encoded (the real
service does, and Terraform decodes them before comparing).
"""

import copy
from urllib.parse import quote

# CHOICE: the connectors the simulated clusters offer (the vendor's connector names).
CONNECTORS = ("generic-jdbc-connector", "hive-connector", "obs-connector", "dws-connector", "hdfs-connector",
              "hbase-connector", "mongodb-connector", "kafka-connector", "elasticsearch-connector",
              "dli-connector", "ftp-connector", "sftp-connector", "oracle-connector", "mysql-connector")
CONFIG_VALUES_KEYS = ("from-config-values", "to-config-values", "driver-config-values")
DEFINITION_KEYS = ("name", "job_type", "from-connector-name", "from-link-name", "to-connector-name", "to-link-name",
                   "from-config-values", "to-config-values", "driver-config-values")
JOB_TYPES = ("NORMAL_JOB", "BATCH_JOB", "SCENARIO_JOB")


def encoded(values):
    """A config-values object with every input value URL-encoded, as a read shows it."""
    if not isinstance(values, dict) or not isinstance(values.get("configs"), list):
        return values
    values = copy.deepcopy(values)
    for config in values["configs"]:
        for item in (config.get("inputs") or []) if isinstance(config, dict) else []:
            if isinstance(item, dict) and item.get("value") is not None:
                item["value"] = quote(str(item["value"]), safe="")
    return values


def _error(code, message):
    return 400, {"errCode": code, "externalMessage": message}


def read_body(body):
    """The one job definition of a create or change body, or a CDM error tuple."""
    import json

    try:
        doc = json.loads(body.decode("utf-8")) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None, _error("Cdm.0000", "System error. (the request body is not valid JSON)")
    jobs = doc.get("jobs") if isinstance(doc, dict) else None
    if not isinstance(jobs, list) or len(jobs) != 1 or not isinstance(jobs[0], dict):
        return None, _error("Cdm.0000", "System error. (the body must be {\"jobs\": [one job]})")
    job = jobs[0]
    if not isinstance(job.get("name"), str) or not job["name"]:
        return None, _error("Cdm.0000", "System error. (the job has no name)")
    return job, None


def check(job, links):
    """Why this definition is refused (a CDM error tuple), or None. ``links`` are the cluster's link names."""
    for side in ("from", "to"):
        connector = job.get("%s-connector-name" % side)
        if connector not in CONNECTORS:
            return _error("Cdm.0102", "Connector[%s] doesn't exist." % connector)
        link = job.get("%s-link-name" % side)
        if link not in links:
            return _error("Cdm.0101", "Link[%s] doesn't exist." % link)
    if job.get("job_type", "NORMAL_JOB") not in JOB_TYPES:
        return _error("Cdm.0000", "System error. (unknown job_type %s)" % job.get("job_type"))
    for key in CONFIG_VALUES_KEYS:
        values = job.get(key)
        if values is not None and not (isinstance(values, dict) and isinstance(values.get("configs", []), list)):
            return _error("Cdm.0000", "System error. (%s must be an object with a configs list)" % key)
    return None


def stored(job):
    """What the service keeps of a definition: its own keys, values plain (as written)."""
    kept = dict((key, copy.deepcopy(job[key])) for key in DEFINITION_KEYS if key in job)
    kept.setdefault("job_type", "NORMAL_JOB")
    return kept


def rendered(definition):
    """A kept definition as a read shows it."""
    return dict((key, encoded(value) if key in CONFIG_VALUES_KEYS else value) for key, value in definition.items())
