# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scenarios: the files in scenarios/, and what a scenario may say."""

import copy
import json
import os

import pytest

from cdm_sim import DEFAULT_SCENARIO, ScenarioError, load_scenario, normalize_scenario
from cdm_sim import scenario as scenario_module
from simtools import HERE


def test_default_yml_is_the_builtin_default():
    yaml = pytest.importorskip("yaml")
    with open(os.path.join(HERE, "scenarios", "default.yml")) as handle:
        assert yaml.safe_load(handle) == DEFAULT_SCENARIO


def test_demo_scenario_is_valid_and_short():
    pytest.importorskip("yaml")
    scenario = normalize_scenario(load_scenario(os.path.join(HERE, "scenarios", "demo.yml")))
    jobs = scenario["clusters"][0]["jobs"]
    assert len(jobs) == 4
    assert [job["outcome"] for job in jobs].count("failed") == 1
    assert all(4 <= job["duration"] / scenario["speed"] <= 10 for job in jobs)


def test_json_scenario_without_pyyaml(tmp_path, monkeypatch):
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["speed"] = 5
    json_file = tmp_path / "s.json"
    json_file.write_text(json.dumps(document))
    yml_file = tmp_path / "s.yml"
    yml_file.write_text(json.dumps(document))
    real_yaml_file = tmp_path / "r.yml"
    real_yaml_file.write_text("speed: 5\n")
    monkeypatch.setattr(scenario_module, "yaml", None)
    assert load_scenario(str(json_file))["speed"] == 5
    assert load_scenario(str(yml_file))["speed"] == 5
    with pytest.raises(ScenarioError, match="PyYAML"):
        load_scenario(str(real_yaml_file))


@pytest.mark.parametrize("change, message", [
    ({"bogus": 1}, "unknown key"),
    ({"speed": 0}, "speed"),
    ({"clusters": []}, "clusters"),
    ({"faults": [{"kind": "nope"}]}, "fault kind"),
    ({"faults": [{"kind": "throttle", "count": 0}]}, "count"),
    ({"gateway_prefix": "APIGX"}, "gateway_prefix must be one of APIG, APIGW"),
    ({"cdm_error_fields": "errcode"}, "cdm_error_fields must be one of errCode, both, code"),
    ({"job_defaults": {"name": "x"}}, "job_defaults: unknown key"),
    ({"job_defaults": {"stop_answer": "maybe"}}, "stop_answer must be one of"),
    ({"job_defaults": {"start_error": "Cdm.0100"}}, "start_error must be one of"),
    ({"job_defaults": {"job_type": "normal"}}, "job_type must be one of NORMAL_JOB, BATCH_JOB, SCENARIO_JOB"),
    ({"job_defaults": {"pending": -1}}, "pending must be >= 0"),
    ({"job_defaults": {"variables": ["day"]}}, "variables must be a mapping"),
    ({"job_defaults": {"to_inputs": {"a": None}}}, "to_inputs must be a mapping"),
    ({"job_defaults": {"stop_status": ""}}, "stop_status must be a non-empty string"),
    ({"clusters": [{"id": "c", "status": ""}]}, "status must be a non-empty string"),
])
def test_scenario_validation(change, message):
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document.update(change)
    with pytest.raises(ScenarioError, match=message):
        normalize_scenario(document)
