# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _client
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _connection
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _job_info
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _jobs

# A job as GET job/{name} returns it (the SDK's Job model, values as the API sends them).
API_JOB = {
    "name": "jdbc2hive", "job_type": "NORMAL_JOB", "type": "NORMAL_JOB", "status": "SUCCEEDED",
    "from-connector-name": "generic-jdbc-connector", "from-link-name": "mysql_link",
    "to-connector-name": "hive-connector", "to-link-name": "hive_link",
    "from-config-values": {"configs": [{"name": "fromJobConfig", "id": 7, "inputs": [
        {"name": "fromJobConfig.schemaName", "value": "sales%20db"},
        {"name": "fromJobConfig.whereClause", "value": "id%20%3E%2010+1%20AND%20x%3D%27a%2Fb%27"},
        {"name": "fromJobConfig.columnList", "value": "id&name", "type": "STRING"}]}]},
    "to-config-values": {"configs": [{"name": "toJobConfig", "inputs": [{"name": "toJobConfig.table", "value": "t"}]}],
                         "extended-configs": {"name": "toJobConfig.extendedFields", "value": "e30="}},
    "driver-config-values": {"configs": [{"name": "throttlingConfig", "inputs": [
        {"name": "throttlingConfig.numExtractors", "value": "1"}]}]},
    "creation-user": "alice", "creation-date": "1536905778725", "update-user": "bob", "update-date": 1536905779000,
    "id": 42, "enabled": "true", "is_incre_job": False, "group_name": "DEFAULT", "flag": 0,
    "execute_start_date": 1700000000000, "execute_update_date": 1700000060000, "execute_create_date": 1699999999000,
    "write_rows": 1000, "update_rows": 3, "delete_rows": 0, "bytes_written": "128000", "bytes_read": 128000,
    "files_read": 0, "files_writte": 2, "external_id": "job_local1_0001", "is_use_sql": False,
}


class FakeClient(object):
    """Answers each call with ``answer(url)`` and records the URLs asked."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def call(self, method, url, body=None):
        self.calls.append(url)
        return _client.Answer(self.answer(url), "req-%d" % len(self.calls))


def cluster_of(client):
    return _jobs.Cluster(client, _connection.Connection("https://cdm.example.com", "p"), "c")


def query_of(url):
    return dict(parse_qsl(urlsplit(url).query))


def paged_jobs(names, page_size=_jobs.LIST_PAGE_SIZE, ignore_page_no=False):
    """A job/all answer for a cluster holding ``names``, sending at most ``page_size`` jobs a page."""

    def answer(url):
        page = 1 if ignore_page_no else int(query_of(url)["page_no"])
        chunk = names[(page - 1) * page_size:page * page_size]
        return {"jobs": [{"name": name, "status": "NEW"} for name in chunk], "total": len(names),
                "page_no": page, "page_size": page_size}

    return answer


def test_normalised_job_has_names_types_links_dates_and_counters():
    job = _job_info.normalise_job(API_JOB)
    assert {key: job[key] for key in ("name", "type", "status", "from_connector", "from_link", "to_connector",
                                      "to_link", "id", "enabled", "incremental", "group_name")} == {
        "name": "jdbc2hive", "type": "NORMAL_JOB", "status": "SUCCEEDED", "from_connector": "generic-jdbc-connector",
        "from_link": "mysql_link", "to_connector": "hive-connector", "to_link": "hive_link", "id": 42,
        "enabled": True, "incremental": False, "group_name": "DEFAULT"}
    assert (job["creation_user"], job["creation_date"], job["update_user"], job["update_date"]) == (
        "alice", 1536905778725, "bob", 1536905779000)
    assert (job["execute_create_date"], job["execute_start_date"], job["execute_update_date"]) == (
        1699999999000, 1700000000000, 1700000060000)
    assert job["counters"] == {"rows_written": 1000, "rows_updated": 3, "rows_deleted": 0, "bytes_written": 128000,
                               "bytes_read": 128000, "files_read": 0, "files_written": 2}


def test_a_job_with_nothing_readable_still_has_every_key():
    job = _job_info.normalise_job({"name": 5, "status": None, "write_rows": "many", "creation-date": [1]})
    assert job["name"] == "5" and job["status"] == "UNKNOWN" and job["creation_date"] is None
    assert job["counters"] == {} and job["definition"] == {"name": 5}
    assert set(job) == set(_job_info.normalise_job(API_JOB))


def test_type_falls_back_to_the_type_field():
    assert _job_info.normalise_job({"name": "j", "type": "BATCH_JOB"})["type"] == "BATCH_JOB"


def test_definition_keeps_what_create_takes_and_drops_the_servers_fields():
    definition = _job_info.definition(API_JOB)
    assert sorted(definition) == sorted(_job_info.DEFINITION_KEYS)
    for server_field in ("creation-user", "creation-date", "update-date", "id", "status", "write_rows",
                         "execute_start_date", "external_id", "flag", "type"):
        assert server_field not in definition


def test_definition_decodes_input_values_and_keeps_everything_else_of_a_config():
    definition = _job_info.definition(API_JOB)
    config = definition["from-config-values"]["configs"][0]
    assert (config["name"], config["id"]) == ("fromJobConfig", 7)
    assert [item["value"] for item in config["inputs"]] == ["sales db", "id > 10+1 AND x='a/b'", "id&name"]
    assert config["inputs"][2]["type"] == "STRING"
    assert definition["to-config-values"]["extended-configs"] == {"name": "toJobConfig.extendedFields", "value": "e30="}
    assert API_JOB["from-config-values"]["configs"][0]["inputs"][0]["value"] == "sales%20db"


@pytest.mark.parametrize("odd", [None, [], "text", {"configs": "x"}, {"configs": [None, {"inputs": [None, {"value": 3}]}]}])
def test_definition_passes_odd_config_values_through(odd):
    assert _job_info.definition({"name": "j", "to-config-values": odd})["to-config-values"] == odd


def test_every_page_is_read_and_joined_in_order():
    names = ["job%03d" % number for number in range(250)]
    client = FakeClient(paged_jobs(names))
    jobs = _job_info.list_jobs(cluster_of(client))
    assert [job["name"] for job in jobs] == names
    assert [query_of(url)["page_no"] for url in client.calls] == ["1", "2", "3"]
    assert all(query_of(url)["page_size"] == "100" for url in client.calls)


def test_an_api_sending_fewer_jobs_a_page_than_asked_loses_none():
    names = ["job%03d" % number for number in range(45)]
    client = FakeClient(paged_jobs(names, page_size=10))
    assert [job["name"] for job in _job_info.list_jobs(cluster_of(client))] == names
    assert len(client.calls) == 5


def test_an_api_ignoring_page_no_ends_and_shows_each_job_once():
    client = FakeClient(paged_jobs(["a", "b", "c"], page_size=2, ignore_page_no=True))
    assert [job["name"] for job in _job_info.list_jobs(cluster_of(client))] == ["a", "b"]
    assert len(client.calls) == 2


def test_filter_and_job_type_are_sent_encoded():
    client = FakeClient(paged_jobs([]))
    assert _job_info.list_jobs(cluster_of(client), filter_text="a&b c", job_type="BATCH_JOB") == []
    assert client.calls == ["https://cdm.example.com/v1.1/p/clusters/c/cdm/job/all"
                            "?page_no=1&page_size=100&filter=a%26b%20c&jobType=BATCH_JOB"]


def test_without_filter_nor_type_neither_is_sent():
    client = FakeClient(paged_jobs(["a"]))
    _job_info.list_jobs(cluster_of(client))
    assert set(query_of(client.calls[0])) == {"page_no", "page_size"}


@pytest.mark.parametrize("body", [None, [], {"total": 3}, {"jobs": "x"}])
def test_a_page_without_a_jobs_list_is_a_clear_error(body):
    with pytest.raises(_errors.CdmError) as caught:
        _job_info.list_jobs(cluster_of(FakeClient(lambda url: body)))
    assert "no jobs list" in caught.value.message and "req-1" in caught.value.message


def test_one_job_is_one_get_of_its_path():
    client = FakeClient(lambda url: {"jobs": [API_JOB], "total": 0})
    assert _job_info.show_job(cluster_of(client), "a/b c")["name"] == "jdbc2hive"
    assert client.calls == ["https://cdm.example.com/v1.1/p/clusters/c/cdm/job/a%2Fb%20c"]


@pytest.mark.parametrize("body", [None, {}, {"jobs": []}, {"jobs": ["x"]}])
def test_one_job_answer_without_a_job_is_a_clear_error(body):
    with pytest.raises(_errors.CdmError) as caught:
        _job_info.show_job(cluster_of(FakeClient(lambda url: body)), "j")
    assert "no job in the answer" in caught.value.message


def runs(*ids):
    return [{"job-name": "j", "submission-id": number, "status": "SUCCEEDED", "creation-date": number * 1000}
            for number in ids]


def test_history_is_one_call_without_paging_when_the_answer_holds_every_run():
    client = FakeClient(lambda url: {"submissions": runs(1, 3, 2), "total": 3})
    history = _job_info.job_history(cluster_of(client), "a b")
    assert [run["submission_id"] for run in history] == [3, 2, 1]
    assert history[0]["job_name"] == "j" and history[0]["status"] == "SUCCEEDED"
    assert client.calls == ["https://cdm.example.com/v1.1/p/clusters/c/cdm/submissions?jname=a%20b"]


def test_history_pages_while_the_total_says_runs_are_missing():
    all_runs = runs(*range(25, 0, -1))

    def answer(url):
        query = query_of(url)
        page, size = int(query.get("page_no", 1)), int(query.get("page_size", 10))
        return {"submissions": all_runs[(page - 1) * size:page * size], "total": 25, "page_no": page, "page_size": size}

    client = FakeClient(answer)
    history = _job_info.job_history(cluster_of(client), "j")
    assert [run["submission_id"] for run in history] == list(range(25, 0, -1))
    assert [query_of(url).get("page_no") for url in client.calls] == [None, "2", "3"]
    assert query_of(client.calls[1])["page_size"] == "10"


def test_history_ends_when_the_api_ignores_page_no():
    client = FakeClient(lambda url: {"submissions": runs(5, 4), "total": 9, "page_size": 2})
    assert [run["submission_id"] for run in _job_info.job_history(cluster_of(client), "j")] == [5, 4]
    assert len(client.calls) == 2


def test_history_of_a_job_never_run_is_empty():
    assert _job_info.job_history(cluster_of(FakeClient(lambda url: {"submissions": [], "total": 0})), "j") == []


def test_history_answer_that_is_not_an_object_is_a_clear_error():
    with pytest.raises(_errors.CdmError) as caught:
        _job_info.job_history(cluster_of(FakeClient(lambda url: ["x"])), "j")
    assert "no submissions" in caught.value.message
