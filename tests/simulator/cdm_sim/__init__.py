# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A local stand-in for the Huawei Cloud CDM API and the IAM token call.

Standard library only (PyYAML is used for ``.yml`` scenarios when it is
importable); Python 3.9 and later. Run it as a program
(``tests/simulator/cdm_simulator.py --help``, see README.md) or in-process::

    sim = Simulator(scenario={...} or "path.yml", speed=600).start()
    ... requests against sim.url ...
    sim.stop()

What it imitates, one module each (where it had to choose, the comments say
"CHOICE"):

* scenario.py, jobs.py, clusters.py: the scenario (clusters, jobs,
  credentials), and jobs whose submissions go (PENDING ->) BOOTING -> RUNNING
  -> outcome on simulated time.
* state.py: CDM's calls and its ``{"errCode": "Cdm.xxxx", "externalMessage"}``
  errors (HTTP 400), behind one lock.
* auth.py: the API gateway's authentication (X-Auth-Token, SDK-HMAC-SHA256
  AK/SK signatures verified with the collection's own ``_signer`` module,
  lockouts) and IAM's ``POST /v3/auth/tokens``.
* faults.py: fault injection (errors, drops, slow or trickled answers, odd bodies).
* routing.py, app.py: routes, the ``/_sim/`` control API, and the HTTP server
  (``{"error_code": "APIG.xxxx", "error_msg", "request_id"}`` errors, or
  ``APIGW.xxxx`` as the scenario asks, and an ``X-Request-Id`` on every answer).
* simulator.py: the :class:`Simulator` object and the command line.
"""

from .app import Exchange
from .jobs import COUNTER_NAMES, OUTCOMES, SQOOP_COUNTERS
from .scenario import DEFAULT_SCENARIO, load_scenario, normalize_scenario
from .simulator import Simulator, main, parse_args, write_port_file
from .validate import ScenarioError

__all__ = ["COUNTER_NAMES", "DEFAULT_SCENARIO", "OUTCOMES", "SQOOP_COUNTERS", "Exchange", "ScenarioError",
           "Simulator", "load_scenario", "main", "normalize_scenario", "parse_args", "write_port_file"]
