# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks shared by scenario and fault definitions: unknown keys are errors, so typos are caught."""


class ScenarioError(ValueError):
    """A scenario or a fault definition is invalid."""


def check_keys(what, data, allowed):
    if not isinstance(data, dict):
        raise ScenarioError("%s must be a mapping" % what)
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ScenarioError("%s: unknown key(s) %s (allowed: %s)" % (what, ", ".join(unknown), ", ".join(allowed)))


def number(what, value, minimum=0.0, integer=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError("%s must be a number" % what)
    if value < minimum:
        raise ScenarioError("%s must be >= %s" % (what, minimum))
    return int(value) if integer else float(value)


def text(what, value, allow_none=False):
    if value is None and allow_none:
        return None
    if not isinstance(value, str) or not value:
        raise ScenarioError("%s must be a non-empty string" % what)
    return value
