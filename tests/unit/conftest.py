# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures every unit test may use: API bodies from tests/unit/fixtures/."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import settings

# No example database in the collection tree; no per-example deadline on slow CI machines.
settings.register_profile("huaweicloud.cdm", database=None, deadline=None)
settings.load_profile("huaweicloud.cdm")

FIXTURES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture_path(name):
    return os.path.join(FIXTURES_DIR, name)


def read_fixture_text(name):
    with open(fixture_path(name), "r", encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture
def fixture_loader():
    """``fixture_loader('status_failed.json')`` returns the decoded body; ``raw=True`` the text as stored."""

    def load(name, raw=False):
        text = read_fixture_text(name)
        return text if raw else json.loads(text)

    return load
