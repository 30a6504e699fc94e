# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _definitions
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _job_info
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission

WANTED = {
    "name": "orders", "from-link-name": "a_link",
    "from-config-values": {"configs": [
        {"name": "one", "inputs": [{"name": "one.a", "value": "x y"}, {"name": "one.b", "value": "1"}]},
        {"name": "two", "inputs": []}]},
}


def read_back(definition):
    """What a read of ``definition`` gives: server keys added, groups reversed, values encoded; then decoded."""
    from urllib.parse import quote
    job = dict(definition, **{"creation-user": "cdm", "id": 3, "status": "NEW", "job_type": "NORMAL_JOB"})
    configs = []
    for config in reversed(definition["from-config-values"]["configs"]):
        configs.append(dict(config, id=9, type="JOB", inputs=[
            dict(item, value=quote(item["value"], safe=""), type="STRING") for item in reversed(config["inputs"])]))
    job["from-config-values"] = {"configs": configs, "extended-configs": {"name": "x", "value": "1"}}
    return _job_info.definition(job)


def test_a_definition_matches_its_read_back():
    assert _definitions.matches(WANTED, read_back(WANTED))


def test_a_changed_value_does_not_match():
    held = read_back(WANTED)
    held["from-config-values"]["configs"][1]["inputs"][0]["value"] = "x  y"
    assert not _definitions.matches(WANTED, held)


def test_a_key_the_definition_states_counts_even_inside_a_group():
    wanted = {"name": "orders", "from-config-values": {"configs": [
        {"name": "one", "type": "OTHER", "inputs": [{"name": "one.a", "value": "x y"}, {"name": "one.b", "value": "1"}]},
        {"name": "two", "inputs": []}]}}
    assert not _definitions.matches(wanted, read_back(WANTED))


def test_a_job_type_left_out_means_normal_job():
    assert not _definitions.matches(dict(WANTED, job_type="BATCH_JOB"), read_back(WANTED))
    assert _definitions.matches(WANTED, read_back(WANTED))


def test_for_diff_sorts_groups_and_inputs_by_name():
    shown = _definitions.for_diff(read_back(WANTED))
    assert [config["name"] for config in shown["from-config-values"]["configs"]] == ["one", "two"]
    assert [item["name"] for item in shown["from-config-values"]["configs"][0]["inputs"]] == ["one.a", "one.b"]


def test_check_definition_names_the_job_and_sends_values_as_text():
    checked = _definitions.check_definition("orders", {"from-config-values": {"configs": [
        {"name": "one", "inputs": [{"name": "one.a", "value": 5}, {"name": "one.b", "value": False}]}]}})
    assert checked["name"] == "orders"
    assert [item["value"] for item in checked["from-config-values"]["configs"][0]["inputs"]] == ["5", "false"]


@pytest.mark.parametrize("definition", [{}, [], {"name": "other"}, {"to-config-values": {"configs": "x"}},
                                        {"to-config-values": {"configs": [{"name": "a", "inputs": [{}]}]}}])
def test_check_definition_refuses_bad_definitions(definition):
    with pytest.raises(_options.OptionError):
        _definitions.check_definition("orders", definition)


@pytest.mark.parametrize("answer, expected", [
    ({}, ([], [])),
    ({"validation-result": []}, ([], [])),
    ({"validation-result": {"status": "ERROR", "message": "bad"}}, (["bad"], [])),
    ({"validation-result": [{"status": "warning", "message": "hm"}, {"status": "ERROR"}, "junk"]},
     (["no message"], ["hm"])),
    ("not a dict", ([], [])),
])
def test_validation_results_sorts_messages_by_status(answer, expected):
    assert _submission.validation_results(answer) == expected
