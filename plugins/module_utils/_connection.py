# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where and how to reach CDM: one object, computed once from the checked options.

The data path is options -> connection -> auth -> client -> API helpers
(``_jobs``) -> module; each step only reads what the one before it made.
"""

from __future__ import annotations

from urllib.parse import quote

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options

API_VERSION = "v1.1"


def path_segment(value):
    """One URL path segment: every reserved character encoded, so no value can add a segment."""
    return quote(value, safe="")


class Connection(object):
    """The CDM endpoint, the project, TLS settings and the retry budget of one module run."""

    def __init__(self, endpoint, project_id, iam_endpoint=None, timeout=30.0, retries=3, verify=True):
        self.endpoint = endpoint.rstrip("/")
        self.project_id = project_id
        self.iam_endpoint = iam_endpoint
        self.timeout = timeout
        self.retries = retries
        self.verify = verify

    @classmethod
    def from_params(cls, params, endpoint=None):
        """The connection the options describe; raises ``_options.OptionError`` naming the first bad one.

        ``endpoint`` stands in for the CDM endpoint where a module does not call CDM (``iam_token``).
        """
        checked = _options.check_connection(dict(params, endpoint=endpoint) if endpoint else params)
        return cls(checked, params["project_id"], iam_endpoint=_options.iam_endpoint(params),
                   timeout=params["timeout"], retries=params["retries"], verify=_options.tls_verify(params))

    def url(self, *segments):
        """``{endpoint}/v1.1/{project_id}/{segments...}``, each segment encoded."""
        parts = (API_VERSION, self.project_id) + segments
        return self.endpoint + "/" + "/".join(path_segment(part) for part in parts)
