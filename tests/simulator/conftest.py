# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The simulator's tests import the cdm_sim package from this folder, and share a simulator per test."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# pylint: disable=wrong-import-position
from cdm_sim import Simulator  # noqa: E402
from simtools import FakeClock  # noqa: E402


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sim(clock):
    server = Simulator(clock=clock).start()
    yield server
    server.stop()
