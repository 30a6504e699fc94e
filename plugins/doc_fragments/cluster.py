# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):

    # The two ways to name the cluster of a job module (_options.CLUSTER_ARGSPEC).
    DOCUMENTATION = r"""
options:
  cluster_id:
    description:
      - ID of the CDM cluster, a UUID such as V(6ec9a0a4-76be-4262-8697-e7af1fac7920).
      - Exactly one of O(cluster_id) and O(cluster_name) is required.
    type: str
  cluster_name:
    description:
      - Name of the CDM cluster, the other way to name it. One cluster-list call per task resolves it
        to its ID, before any job call; the result's C(cluster_id) is the ID used.
      - A name that names no cluster of the project fails, listing some names that exist; a name that
        several clusters share fails, listing their IDs.
      - Exactly one of O(cluster_id) and O(cluster_name) is required.
    type: str
    version_added: 1.1.0
"""
