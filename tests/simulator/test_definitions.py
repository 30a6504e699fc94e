# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Job definitions: create, change, delete, and how reads and the list show them."""

import copy
import json

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim.samples import JOB_DEFINITION  # noqa: E402
from simtools import TOKEN, assert_cdm, cdm_url, job_url, start  # noqa: E402

DEFINITION = dict(JOB_DEFINITION, name="orders_copy")


def create(sim, definition=None):
    body = {"jobs": [definition or DEFINITION]}
    return requests.post(cdm_url(sim, "job"), headers=TOKEN, data=json.dumps(body), timeout=5)


def change(sim, name, definition):
    return requests.put(job_url(sim, name, None), headers=TOKEN, data=json.dumps({"jobs": [definition]}), timeout=5)


def delete(sim, name):
    return requests.delete(job_url(sim, name, None), headers=TOKEN, timeout=5)


def read(sim, name):
    response = requests.get(job_url(sim, name, None), headers=TOKEN, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()["jobs"][0]


def test_a_created_job_reads_back_with_encoded_values_and_server_fields(sim):
    response = create(sim)
    assert response.status_code == 200, response.text
    assert response.json() == {"name": "orders_copy", "validation-result": []}
    job = read(sim, "orders_copy")
    assert job["status"] == "NEW"
    assert job["creation-user"] == "cdm" and isinstance(job["creation-date"], int) and isinstance(job["id"], int)
    where = job["from-config-values"]["configs"][0]["inputs"][1]["value"]
    assert where == "day%20%3D%20%27%24%7Bload_date%7D%27%20AND%20id%20%3E%200"
    assert job["driver-config-values"] == DEFINITION["driver-config-values"]
    assert job["from-link-name"] == "generic_jdbc_link"


def test_a_created_job_is_listed_and_can_run(sim):
    create(sim)
    listed = requests.get(cdm_url(sim, "job/all?filter=orders"), headers=TOKEN, timeout=5).json()
    assert [job["name"] for job in listed["jobs"]] == ["orders_copy"] and listed["total"] == 1
    assert start(sim, "orders_copy").status_code == 200


def test_a_name_taken_is_a_conflict(sim):
    create(sim)
    assert_cdm(create(sim), "Cdm.0104")
    assert_cdm(create(sim, dict(DEFINITION, name="jdbc2hive")), "Cdm.0104")


@pytest.mark.parametrize("key, value, code", [
    ("from-link-name", "no_such_link", "Cdm.0101"),
    ("to-link-name", "no_such_link", "Cdm.0101"),
    ("from-connector-name", "no-such-connector", "Cdm.0102"),
])
def test_unknown_links_and_connectors_are_refused(sim, key, value, code):
    assert_cdm(create(sim, dict(DEFINITION, **{key: value})), code)
    assert requests.get(job_url(sim, "orders_copy", None), headers=TOKEN, timeout=5).status_code == 400


def test_a_change_replaces_the_definition_and_moves_the_update_date(sim, clock):
    create(sim)
    before = read(sim, "orders_copy")
    clock.advance(5)
    changed = copy.deepcopy(DEFINITION)
    changed["driver-config-values"]["configs"][0]["inputs"][0]["value"] = "4"
    response = change(sim, "orders_copy", changed)
    assert response.status_code == 200 and response.json() == {"validation-result": []}
    after = read(sim, "orders_copy")
    assert after["driver-config-values"]["configs"][0]["inputs"][0]["value"] == "4"
    assert after["update-date"] > before["update-date"] and after["creation-date"] == before["creation-date"]


def test_a_scenario_job_can_be_changed_too(sim):
    job = read(sim, "jdbc2hive")
    definition = dict((key, job[key]) for key in DEFINITION)
    definition["to-link-name"] = "generic_jdbc_link"
    assert change(sim, "jdbc2hive", definition).status_code == 200
    assert read(sim, "jdbc2hive")["to-link-name"] == "generic_jdbc_link"


def test_changing_a_missing_job_is_cdm_0319(sim):
    assert_cdm(change(sim, "orders_copy", DEFINITION), "Cdm.0319")


def test_a_running_job_cannot_be_changed_or_deleted(sim):
    create(sim)
    assert start(sim, "orders_copy").status_code == 200
    assert_cdm(change(sim, "orders_copy", DEFINITION), "Cdm.0052")
    assert_cdm(delete(sim, "orders_copy"), "Cdm.0052")
    assert requests.put(job_url(sim, "orders_copy", "stop"), headers=TOKEN, timeout=5).status_code == 200
    assert delete(sim, "orders_copy").status_code == 200


def test_a_deleted_job_is_gone(sim):
    create(sim)
    response = delete(sim, "orders_copy")
    assert response.status_code == 200 and response.json() == {}
    assert_cdm(delete(sim, "orders_copy"), "Cdm.0100")
    assert_cdm(requests.get(job_url(sim, "orders_copy", None), headers=TOKEN, timeout=5), "Cdm.0100")


def test_reset_brings_back_the_scenario_jobs(sim):
    delete(sim, "jdbc2hive")
    create(sim)
    sim.reset()
    assert read(sim, "jdbc2hive")["name"] == "jdbc2hive"
    assert_cdm(requests.get(job_url(sim, "orders_copy", None), headers=TOKEN, timeout=5), "Cdm.0100")


@pytest.mark.parametrize("body", [b"not json", b'{"jobs": []}', b'{"jobs": [{"job_type": "NORMAL_JOB"}]}'])
def test_a_body_without_one_named_job_is_refused(sim, body):
    assert_cdm(requests.post(cdm_url(sim, "job"), headers=TOKEN, data=body, timeout=5), "Cdm.0000")
