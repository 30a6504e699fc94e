# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run the CDM simulator (the cdm_sim package next to this file); see README.md.

    python tests/simulator/cdm_simulator.py --port 0 --port-file F --scenario tests/simulator/scenarios/demo.yml

Importing this file gives the package's public names (``Simulator`` and the
rest), for callers that load it by path.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# pylint: disable=wrong-import-position
from cdm_sim import (COUNTER_NAMES, DEFAULT_SCENARIO, OUTCOMES, SQOOP_COUNTERS, Exchange,  # noqa: E402
                     ScenarioError, Simulator, load_scenario, main, normalize_scenario)

__all__ = ["COUNTER_NAMES", "DEFAULT_SCENARIO", "OUTCOMES", "SQOOP_COUNTERS", "Exchange", "ScenarioError",
           "Simulator", "load_scenario", "main", "normalize_scenario"]

if __name__ == "__main__":
    sys.exit(main())
