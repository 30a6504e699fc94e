# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The vendor SDK (huaweicloudsdkcdm) against the simulator: skipped when it is not installed.

The SDK's models are the vendor's own reading of the API: every answer the
simulator gives must parse into them with the values a real answer has.
"""

import copy
import json
import re

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import DEFAULT_SCENARIO, Simulator  # noqa: E402
from simtools import CLUSTER, PROJECT, FakeClock, control  # noqa: E402

# The vendor SDK's signer calls datetime.utcnow(), deprecated on Python 3.12+.
pytestmark = pytest.mark.filterwarnings("ignore:datetime.datetime.utcnow:DeprecationWarning")


def sdk_client(sim, access_key="sim-ak", secret_key="sim-sk", token=None):
    pytest.importorskip("huaweicloudsdkcdm")
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkcdm.v1 import CdmClient

    config = HttpConfig.get_default_config()
    config.timeout = 5
    client = CdmClient.new_builder() \
        .with_credentials(BasicCredentials(access_key, secret_key, PROJECT)) \
        .with_http_config(config) \
        .with_endpoints([sim.url]) \
        .build()
    if token is not None:
        # The SDK has no token credential for CDM: preset the header. It still
        # signs with the (dummy) AK/SK; the simulator lets X-Auth-Token decide.
        client.preset_headers = {"X-Auth-Token": token}
    return client


def sdk():
    pytest.importorskip("huaweicloudsdkcdm")
    from huaweicloudsdkcdm import v1
    return v1


def scenario_with(jobs, **top):
    """The default scenario with these jobs (and top-level keys) instead of its own."""
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["clusters"][0]["jobs"] = jobs
    document.update(top)
    return document


def run_sdk_lifecycle(client):
    v1 = sdk()
    response = client.show_job_status(v1.ShowJobStatusRequest(cluster_id=CLUSTER, job_name="nightly_sync"))
    sub = response.submissions[0]
    assert sub.status == "SUCCEEDED" and sub.progress == 100
    assert sub.counters.org_apache_sqoop_submission_counter_sqoop_counters.rows_written == 500000
    response = client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="long_running",
                                                   body=v1.CdmStartJobReq(variables={"day": "1"})))
    assert response.status_code == 200 and response.submissions[0].status == "BOOTING"
    status = client.show_job_status(v1.ShowJobStatusRequest(cluster_id=CLUSTER, job_name="long_running")).submissions[0]
    assert status.status in ("BOOTING", "RUNNING") and status.external_id.startswith("job_local")
    response = client.stop_job(v1.StopJobRequest(cluster_id=CLUSTER, job_name="long_running"))
    # The stop's default answer is {}, as in every vendor example: no validation result at all.
    assert response.status_code == 200 and response.validation_result is None and response.raw_content == b"{}"
    status = client.show_job_status(v1.ShowJobStatusRequest(cluster_id=CLUSTER, job_name="long_running")).submissions[0]
    assert status.status == "FAILED" and status.progress == -1 and status.error_summary
    assert client.show_jobs(v1.ShowJobsRequest(cluster_id=CLUSTER, job_name="all", page_size=10)).total == 5
    assert client.show_submissions(v1.ShowSubmissionsRequest(cluster_id=CLUSTER, jname="long_running")).total == 1
    assert client.list_clusters(v1.ListClustersRequest()).clusters[0].id == CLUSTER


def test_vendor_sdk_aksk(sim):
    run_sdk_lifecycle(sdk_client(sim))
    assert control(sim, "GET", "stats")["by_auth"] == {"aksk": 8}


def test_vendor_sdk_token(sim):
    run_sdk_lifecycle(sdk_client(sim, "dummy-ak", "dummy-sk", token="sim-token"))
    assert control(sim, "GET", "stats")["by_auth"] == {"token": 8}


def test_sdk_start_job_parses_the_submission_and_the_variables_are_recorded(sim):
    v1 = sdk()
    client = sdk_client(sim)
    response = client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="jdbc2hive",
                                                   body=v1.CdmStartJobReq(variables={"day": "2024-01-01", "n": "3"})))
    sub = response.submissions[0]
    assert (sub.job_name, sub.status, sub.progress, sub.is_stoping_increment) == ("jdbc2hive", "BOOTING", 0, "")
    assert isinstance(sub.submission_id, int) and sub.creation_date == sub.execute_date > 1.5e12
    overview = dict((job["name"], job) for job in control(sim, "GET", "jobs")["jobs"])
    assert overview["jdbc2hive"]["variables"] == {"day": "2024-01-01", "n": "3"}
    assert overview["jdbc2hive"]["submission_id"] == sub.submission_id
    # Terraform's start sends no body at all: a run without variables.
    sub = client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="obs2dws")).submissions[0]
    assert sub.status == "BOOTING"
    assert dict((job["name"], job) for job in control(sim, "GET", "jobs")["jobs"])["obs2dws"]["variables"] == {}


def test_sdk_start_job_pending_and_failure_on_submit():
    v1 = sdk()
    clock = FakeClock()
    document = scenario_with([{"name": "queued", "pending": 30}, {"name": "refused", "outcome": "failure_on_submit"}])
    with Simulator(document, clock=clock) as server:
        client = sdk_client(server)
        assert client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="queued")).submissions[0].status == "PENDING"
        clock.advance(0.6)  # 36 simulated seconds: 30 pending, then booting
        status = client.show_job_status(v1.ShowJobStatusRequest(cluster_id=CLUSTER, job_name="queued")).submissions[0]
        assert status.status == "BOOTING"
        sub = client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="refused")).submissions[0]
        assert sub.status == "FAILURE_ON_SUBMIT"
        status = client.show_job_status(v1.ShowJobStatusRequest(cluster_id=CLUSTER, job_name="refused")).submissions[0]
        assert (status.status, status.progress) == ("FAILURE_ON_SUBMIT", -1) and status.error_summary


@pytest.mark.parametrize("answer, results", [
    ("validation", []),
    ("warning", [("WARNING", "The job was stopped before all data was written.")]),
    ("error", [("ERROR", "The job cannot be stopped now: it is committing its output.")]),
])
def test_sdk_stop_job_parses_each_validation_answer(answer, results):
    v1 = sdk()
    with Simulator(scenario_with([{"name": "job", "duration": 3600, "stop_answer": answer}])) as server:
        client = sdk_client(server)
        client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="job"))
        response = client.stop_job(v1.StopJobRequest(cluster_id=CLUSTER, job_name="job"))
        assert [(item.status, item.message) for item in response.validation_result] == results
        status = client.show_job_status(v1.ShowJobStatusRequest(cluster_id=CLUSTER, job_name="job")).submissions[0]
        # An ERROR refuses the stop: the run goes on.
        assert status.status in (("BOOTING", "RUNNING") if answer == "error" else ("FAILED",))


def test_sdk_stop_job_with_a_submissions_answer_keeps_the_raw_body():
    v1 = sdk()
    with Simulator(scenario_with([{"name": "job", "duration": 3600, "stop_answer": "submissions"}])) as server:
        client = sdk_client(server)
        started = client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="job")).submissions[0]
        response = client.stop_job(v1.StopJobRequest(cluster_id=CLUSTER, job_name="job"))
        # The SDK's model has no submissions: what the regional page documents is only in the raw body.
        assert response.validation_result is None
        body = json.loads(response.raw_content)
        assert [(sub["submission-id"], sub["status"]) for sub in body["submissions"]] == [
            (started.submission_id, "FAILED")]


def test_sdk_show_jobs_lists_filters_and_reads_one():
    v1 = sdk()
    document = scenario_with([
        {"name": "orders_sync", "rows_written": 700, "history": [{"outcome": "succeeded", "finished_ago": 60}]},
        {"name": "orders_batch", "job_type": "BATCH_JOB"},
        {"name": "customers_sync", "job_type": "NORMAL_JOB", "to_inputs": {"outputDirectory": "/data/in & out"}},
        {"name": "scene", "job_type": "SCENARIO_JOB"},
    ])
    with Simulator(document) as server:
        client = sdk_client(server)
        listing = client.show_jobs(v1.ShowJobsRequest(cluster_id=CLUSTER, job_name="all", page_size=10))
        assert (listing.total, listing.page_no, listing.page_size) == (2, 1, 10)
        assert sorted(job.name for job in listing.jobs) == ["customers_sync", "orders_sync"]
        batch = client.show_jobs(v1.ShowJobsRequest(cluster_id=CLUSTER, job_name="all", job_type="BATCH_JOB"))
        assert [(job.name, job.job_type) for job in batch.jobs] == [("orders_batch", "BATCH_JOB")]
        fuzzy = client.show_jobs(v1.ShowJobsRequest(cluster_id=CLUSTER, job_name="all", filter="orders"))
        assert [job.name for job in fuzzy.jobs] == ["orders_sync"]
        one = client.show_jobs(v1.ShowJobsRequest(cluster_id=CLUSTER, job_name="orders_sync"))
        assert (one.total, len(one.jobs)) == (0, 1)
        job = one.jobs[0]
        assert (job.name, job.status, job.job_type, job.rows_written, job.enabled) == (
            "orders_sync", "SUCCEEDED", "NORMAL_JOB", 700, True)
        assert job.execute_create_date <= job.execute_start_date <= job.execute_update_date
        never = client.show_jobs(v1.ShowJobsRequest(cluster_id=CLUSTER, job_name="customers_sync")).jobs[0]
        assert never.status == "NEW" and never.execute_start_date is None
        inputs = never.to_config_values.configs[0].inputs
        assert [(item.name, item.value) for item in inputs] == [
            ("toJobConfig.outputDirectory", "%2Fdata%2Fin%20%26%20out")]


def test_sdk_show_submissions_lists_the_history_newest_first():
    v1 = sdk()
    document = scenario_with([{"name": "job", "history": [
        {"outcome": "failed", "finished_ago": 7200}, {"outcome": "succeeded", "finished_ago": 3600}]}])
    with Simulator(document) as server:
        client = sdk_client(server)
        history = client.show_submissions(v1.ShowSubmissionsRequest(cluster_id=CLUSTER, jname="job"))
        assert history.total == 2
        assert [sub.status for sub in history.submissions] == ["SUCCEEDED", "FAILED"]
        assert history.submissions[0].submission_id > history.submissions[1].submission_id
        assert history.submissions[1].error_summary and history.submissions[1].progress == -1


def test_sdk_list_clusters_and_show_cluster_detail():
    v1 = sdk()
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["clusters"].append({"id": "c2", "name": "frozen-one", "status": "800", "frozen": True, "jobs": []})
    with Simulator(document) as server:
        client = sdk_client(server)
        clusters = client.list_clusters(v1.ListClustersRequest()).clusters
        assert [(c.id, c.name, c.status, c.status_detail, c.is_frozen) for c in clusters] == [
            (CLUSTER, "cdm-demo", "200", "Normal", "0"), ("c2", "frozen-one", "800", "Frozen", "1")]
        first = clusters[0]
        assert first.public_endpoint == "192.0.2.10" and first.az_name == "cn-north-4a"
        assert first.flavor_name == "cdm.medium" and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", first.created)
        detail = client.show_cluster_detail(v1.ShowClusterDetailRequest(cluster_id="c2"))
        assert (detail.id, detail.status, detail.is_frozen, detail.public_endpoint) == ("c2", "800", "1", "192.0.2.11")
        from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
        with pytest.raises(ClientRequestException) as info:
            client.show_cluster_detail(v1.ShowClusterDetailRequest(cluster_id="nope"))
        assert info.value.status_code == 404


def test_vendor_sdk_errors(sim):
    v1 = sdk()
    client = sdk_client(sim)
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

    with pytest.raises(ClientRequestException) as info:
        client.show_job_status(v1.ShowJobStatusRequest(cluster_id=CLUSTER, job_name="nope"))
    # The SDK does not read errCode/externalMessage: the code is the HTTP status, the message the raw body.
    assert (info.value.status_code, info.value.error_code) == (400, "400")
    assert json.loads(info.value.error_msg)["errCode"] == "Cdm.0100"
    assert re.match(r"^[0-9a-f]{32}$", info.value.request_id)
    client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="jdbc2hive"))
    with pytest.raises(ClientRequestException) as info:
        client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="jdbc2hive"))
    assert info.value.status_code == 400 and "Cdm.0052" in info.value.error_msg
    with pytest.raises(ClientRequestException) as info:
        client.stop_job(v1.StopJobRequest(cluster_id=CLUSTER, job_name="mysql2obs"))
    assert info.value.status_code == 400 and "Cdm.0053" in info.value.error_msg
    bad = sdk_client(sim, secret_key="wrong")
    with pytest.raises(ClientRequestException) as info:
        bad.show_job_status(v1.ShowJobStatusRequest(cluster_id=CLUSTER, job_name="jdbc2hive"))
    assert info.value.status_code == 401 and info.value.error_code == "APIG.0301"


def test_vendor_sdk_reads_code_and_message_and_the_apigw_prefix():
    v1 = sdk()
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

    document = scenario_with([{"name": "off", "start_error": "Cdm.0059"}], cdm_error_fields="both",
                             gateway_prefix="APIGW")
    with Simulator(document) as server:
        with pytest.raises(ClientRequestException) as info:
            sdk_client(server).start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name="off"))
        # With code/message beside errCode, the SDK finds the CDM code.
        assert (info.value.status_code, info.value.error_code) == (400, "Cdm.0059")
        assert info.value.error_msg == "Job[off] is disabled and cannot be submitted."
        with pytest.raises(ClientRequestException) as info:
            sdk_client(server, secret_key="wrong").list_clusters(v1.ListClustersRequest())
        assert (info.value.status_code, info.value.error_code) == (401, "APIGW.0301")


def test_vendor_sdk_odd_job_names():
    v1 = sdk()
    names = ("with space", "数据同步", "a/b", "plus+sign")
    with Simulator(scenario_with([{"name": name} for name in names])) as server:
        client = sdk_client(server)
        for name in names:
            client.start_job(v1.StartJobRequest(cluster_id=CLUSTER, job_name=name))
            sub = client.show_job_status(v1.ShowJobStatusRequest(cluster_id=CLUSTER, job_name=name)).submissions[0]
            assert sub.job_name == name


def test_vendor_signer_matches_simulator(sim):
    pytest.importorskip("huaweicloudsdkcore")
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    host = "127.0.0.1:%d" % sim.port
    path = "/v1.1/%s/clusters/%s/cdm/job/all" % (PROJECT, CLUSTER)
    request = SdkRequest(method="GET", schema="http", host=host, resource_path=path,
                         query_params=[("filter", "a b"), ("page_size", "10")],
                         header_params={"Content-Type": "application/json", "X-Project-Id": PROJECT}, body="")
    request = Signer(BasicCredentials("sim-ak", "sim-sk", PROJECT)).sign(request)
    response = requests.get("http://%s%s" % (host, request.uri), headers=request.header_params, timeout=5)
    assert response.status_code == 200, response.text
