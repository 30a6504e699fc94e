# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):

    # The job a module works on (_options.JOB_NAME_OPTION). A module may restate
    # a key (required, description): Ansible merges fragment options key by key.
    DOCUMENTATION = r"""
options:
  job_name:
    description:
      - Name of the CDM job. Any characters are allowed; they are percent-encoded, so the name can never change
        the request path.
    type: str
    aliases: [name]
"""
