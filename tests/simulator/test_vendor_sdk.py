# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The vendor SDK (huaweicloudsdkcdm) against the simulator: skipped when it is not installed."""

import copy
import re

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import DEFAULT_SCENARIO, Simulator  # noqa: E402
from simtools import CLUSTER, PROJECT, control  # noqa: E402

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


def run_sdk_lifecycle(sim, client):
    from huaweicloudsdkcdm.v1 import (CdmStartJobReq, ShowJobStatusRequest, StartJobRequest, StopJobRequest,
                                      ShowJobsRequest, ShowSubmissionsRequest, ListClustersRequest)

    response = client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="nightly_sync"))
    sub = response.submissions[0]
    assert sub.status == "SUCCEEDED" and sub.progress == 100
    assert sub.counters.org_apache_sqoop_submission_counter_sqoop_counters.rows_written == 500000
    response = client.start_job(StartJobRequest(cluster_id=CLUSTER, job_name="long_running",
                                                body=CdmStartJobReq(variables={"day": "1"})))
    assert response.status_code == 200 and response.submissions[0].status == "BOOTING"
    status = client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="long_running")).submissions[0]
    assert status.status in ("BOOTING", "RUNNING") and status.external_id.startswith("job_local")
    response = client.stop_job(StopJobRequest(cluster_id=CLUSTER, job_name="long_running"))
    assert response.status_code == 200 and response.validation_result == []
    status = client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="long_running")).submissions[0]
    assert status.status == "FAILED" and status.progress == -1 and status.error_summary
    assert client.show_jobs(ShowJobsRequest(cluster_id=CLUSTER, job_name="all", page_size=10)).total == 5
    assert client.show_submissions(ShowSubmissionsRequest(cluster_id=CLUSTER, jname="long_running")).total == 1
    assert client.list_clusters(ListClustersRequest()).clusters[0].id == CLUSTER


def test_vendor_sdk_aksk(sim):
    client = sdk_client(sim)
    run_sdk_lifecycle(sim, client)
    assert control(sim, "GET", "stats")["by_auth"] == {"aksk": 8}


def test_vendor_sdk_token(sim):
    client = sdk_client(sim, "dummy-ak", "dummy-sk", token="sim-token")
    run_sdk_lifecycle(sim, client)
    assert control(sim, "GET", "stats")["by_auth"] == {"token": 8}


def test_vendor_sdk_errors(sim):
    client = sdk_client(sim)
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkcdm.v1 import ShowJobStatusRequest, StartJobRequest

    with pytest.raises(ClientRequestException) as info:
        client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="nope"))
    assert info.value.status_code == 400 and "Cdm.0100" in str(info.value.error_msg) + str(info.value.error_code)
    assert re.match(r"^[0-9a-f]{32}$", info.value.request_id)
    client.start_job(StartJobRequest(cluster_id=CLUSTER, job_name="jdbc2hive"))
    with pytest.raises(ClientRequestException) as info:
        client.start_job(StartJobRequest(cluster_id=CLUSTER, job_name="jdbc2hive"))
    assert info.value.status_code == 400
    bad = sdk_client(sim, secret_key="wrong")
    with pytest.raises(ClientRequestException) as info:
        bad.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="jdbc2hive"))
    assert info.value.status_code == 401 and info.value.error_code == "APIG.0301"


def test_vendor_sdk_odd_job_names():
    document = copy.deepcopy(DEFAULT_SCENARIO)
    names = ("with space", "数据同步", "a/b", "plus+sign")
    document["clusters"][0]["jobs"] = [{"name": name} for name in names]
    with Simulator(document) as server:
        client = sdk_client(server)
        from huaweicloudsdkcdm.v1 import ShowJobStatusRequest, StartJobRequest

        for name in names:
            client.start_job(StartJobRequest(cluster_id=CLUSTER, job_name=name))
            sub = client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name=name)).submissions[0]
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
