# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Test data shared by the simulator's own tests and the modules' unit tests.

``JOB_DEFINITION`` is a job definition as the create and change calls take it,
without its ``name``: the tests name it. Its links (generic_jdbc_link,
hive_link) are those of the scenarios the tests run, and its where clause holds
a job variable and a quote, which a read sends back URL-encoded.
"""

JOB_DEFINITION = {
    "job_type": "NORMAL_JOB",
    "from-connector-name": "generic-jdbc-connector",
    "from-link-name": "generic_jdbc_link",
    "to-connector-name": "hive-connector",
    "to-link-name": "hive_link",
    "from-config-values": {"configs": [{"name": "fromJobConfig", "inputs": [
        {"name": "fromJobConfig.tableName", "value": "orders"},
        {"name": "fromJobConfig.whereClause", "value": "day = '${load_date}' AND id > 0"}]}]},
    "to-config-values": {"configs": [{"name": "toJobConfig", "inputs": [
        {"name": "toJobConfig.outputDirectory", "value": "/user/hive/warehouse/orders"}]}]},
    "driver-config-values": {"configs": [{"name": "throttlingConfig", "inputs": [
        {"name": "throttlingConfig.numExtractors", "value": "2"}]}]},
}
