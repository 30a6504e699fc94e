# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime
import os

import pytest
import yaml

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _wait_settings

SETTINGS = {"job_name": "jdbc2hive", "job_names": None, "cluster_id": None, "cluster_name": None, "timeout": 600,
            "delay": 5, "first_answer_timeout": 60, "submission_id": None, "success_when": None, "failure_when": None,
            "fail_on_failure": True}


@pytest.mark.parametrize("names, problem", [
    (["job_wait_job_name", "job_wait_timout"],
     "job_wait_timout is not a variable of the huaweicloud.cdm.job_wait role; did you mean job_wait_timeout?"),
    (["job_wait_jobname"],
     "job_wait_jobname is not a variable of the huaweicloud.cdm.job_wait role; did you mean job_wait_job_name?"),
    (["job_wait_zzz_qqq_xxx"],
     "job_wait_zzz_qqq_xxx is not a variable of the huaweicloud.cdm.job_wait role "
     "(see ansible-doc -t role huaweicloud.cdm.job_wait)"),
])
def test_an_unknown_role_variable_is_named_with_the_closest_known_one(names, problem):
    assert _wait_settings.check_settings(SETTINGS, names) == problem


def test_the_role_s_own_outputs_are_known_variables():
    assert _wait_settings.check_settings(SETTINGS, ["job_wait_result", "job_wait_results", "job_wait_job_name"]) == ""


@pytest.mark.parametrize("change, problem", [
    ({"job_name": None}, "job_wait needs exactly one of job_wait_job_name and job_wait_job_names"),
    ({"job_names": ["a"]}, "job_wait needs exactly one of job_wait_job_name and job_wait_job_names"),
    ({"timeout": 0}, "job_wait_timeout must be a number of seconds greater than 0, not 0"),
    ({"delay": "soon"}, "job_wait_delay must be a number of seconds greater than 0, not 'soon'"),
    ({"first_answer_timeout": -1}, "job_wait_first_answer_timeout must be a number of seconds greater than 0, not -1"),
])
def test_bad_settings_are_named(change, problem):
    assert _wait_settings.check_settings(dict(SETTINGS, **change)) == problem


def test_the_cluster_by_id_and_by_name_at_once_is_refused():
    problem = _wait_settings.check_settings(dict(SETTINGS, cluster_id="c-1", cluster_name="etl"))
    assert problem == ("job_wait takes one of job_wait_cluster_id and job_wait_cluster_name, not both "
                       "(or neither, when module_defaults for group/huaweicloud.cdm.cdm name the cluster)")


@pytest.mark.parametrize("cluster", [{"cluster_id": "c-1"}, {"cluster_name": "etl"}, {}],
                         ids=["by-id", "by-name", "from-module-defaults"])
def test_the_cluster_by_id_by_name_or_from_module_defaults_is_fine(cluster):
    assert _wait_settings.check_settings(dict(SETTINGS, **cluster), ["job_wait_job_name", "job_wait_cluster_name"]) == ""


def test_a_jmespath_expression_that_does_not_compile_is_named():
    pytest.importorskip("jmespath")
    assert _wait_settings.check_settings(dict(SETTINGS, success_when="status ==")).startswith("job_wait_success_when: ")


def test_a_condition_is_checked_for_its_syntax_not_on_a_made_up_result():
    pytest.importorskip("jmespath")
    # abs() of a missing progress is a type error, but every real poll has a progress:
    # a check that evaluated the expression on a made-up result would refuse it.
    assert _wait_settings.check_settings(dict(SETTINGS, success_when="abs(progress) > `50`")) == ""


def test_every_variable_of_the_argument_spec_is_known_and_nothing_else():
    spec_path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "job_wait", "meta",
                             "argument_specs.yml")
    with open(spec_path) as spec_file:
        options = set(yaml.safe_load(spec_file)["argument_specs"]["main"]["options"])
    assert set(_wait_settings.VARIABLES) == options | {"job_wait_result", "job_wait_results"}


# The watch settings (issue 15)

@pytest.mark.parametrize("deadline, problem", [
    ("tomorrow", "job_wait_deadline must be an ISO 8601 date and time with a zone"),
    ("2027-01-15T08:05:00", "job_wait_deadline needs a zone (Z for UTC, or an offset)"),
    ("2027-01-15", "job_wait_deadline needs a zone"),
    (datetime.datetime(2027, 1, 15, 8, 5), "job_wait_deadline needs a zone"),
    (1800000000, "job_wait_deadline must be an ISO 8601 date and time with a zone"),
])
def test_a_deadline_that_is_no_time_with_a_zone_is_refused(deadline, problem):
    assert _wait_settings.check_settings(dict(SETTINGS, deadline=deadline)).startswith(problem)


@pytest.mark.parametrize("deadline", ["2027-01-15T08:05:00Z", "2027-01-15T08:05:00.250+08:00", "2027-01-15 08:05z"])
def test_iso_8601_deadlines_with_a_zone_are_fine(deadline):
    assert _wait_settings.check_settings(dict(SETTINGS, deadline=deadline)) == ""


@pytest.mark.parametrize("stall", [0, -5, "soon", True])
def test_a_stall_timeout_must_be_a_positive_number(stall):
    assert _wait_settings.check_settings(dict(SETTINGS, stall_timeout=stall)) == (
        "job_wait_stall_timeout must be a number of seconds greater than 0 (unset: no stall watch), not %r" % (stall,))
