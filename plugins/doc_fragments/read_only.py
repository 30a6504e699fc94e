# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):

    # The attributes of a module that changes nothing. A module may restate one
    # attribute's description: Ansible merges fragment attributes key by key.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: The module only reads; it makes the same calls in check mode.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to show.
"""
