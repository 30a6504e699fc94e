# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module of the collection shares: the argspec, the client, the way it fails."""

from __future__ import annotations

import sys

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _auth
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _client
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _clusters
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _connection
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _jobs
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options


def missing_library_message(name, reason=None):
    """Ansible's message for a library missing where the module runs, with the command that installs it there."""
    return "%s. Install it there with: %s -m pip install %s" % (
        missing_required_lib(name, reason=reason), sys.executable, name)


class CdmModule(AnsibleModule):
    """An AnsibleModule with the connection options added and a ``client()`` that honours them."""

    def __init__(self, argument_spec, **kwargs):
        spec = dict(_options.CONNECTION_ARGSPEC)
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        super(CdmModule, self).__init__(argument_spec=spec, **kwargs)

    def _mask_url_secrets(self):
        # A user:password@ in a URL option is refused, but Ansible prints the
        # module's arguments at -vvv: mask it like a no_log option's value.
        params = getattr(self, "params", None) or {}
        for option in _options.URL_OPTIONS:
            secrets = _options.url_secrets(params.get(option))
            self.no_log_values.update(secrets)
            if secrets:
                # Masked here too: ansible-core before 2.19 replaces no_log values in
                # no set order, so the password alone may go first and leave the user.
                params[option] = params[option].replace(secrets[0], "*" * 8)

    def exit_json(self, **kwargs):
        self._mask_url_secrets()
        super(CdmModule, self).exit_json(**kwargs)

    def fail_json(self, msg, **kwargs):
        self._mask_url_secrets()
        super(CdmModule, self).fail_json(msg, **kwargs)

    def warn_plain_http(self, option, url):
        """Credentials are about to travel unencrypted to another machine: say so."""
        if url and url.lower().startswith("http://") and not _options.is_loopback(url):
            self.warn("%s is a plain http:// URL to another machine (%s): the credentials cross the network "
                      "unencrypted; use https://" % (option, url.split("://", 1)[1].split("/", 1)[0]))

    def log(self, msg, log_args=None):
        # syslog refuses NUL, and AnsibleModule fails the run before the options are checked:
        # escape it, so the option check names the option instead.
        if isinstance(msg, str):
            msg = msg.replace("\x00", "\\x00")
        super(CdmModule, self).log(msg, log_args)

    def fail_option(self, error, **extra):
        """Bad input: nothing was sent. ``finished`` is false so until-loops read the result safely."""
        self.fail_json(msg=str(error), retryable=False, finished=False, succeeded=False, **extra)

    def fail_missing_library(self, name, exception, reason=None, **extra):
        """A library the module needs is not importable by the Python it runs on: nothing was sent."""
        self.fail_json(msg=missing_library_message(name, reason), exception=exception, retryable=False, **extra)

    def fail_call(self, error, **extra):
        """A failed API call, with its HTTP status, error code and request id."""
        result = error.as_result()
        result.update(extra)
        result.setdefault("finished", False)
        result.setdefault("succeeded", False)
        self.fail_json(**result)

    def connection(self):
        """The checked connection; a bad option fails the module before anything is sent."""
        try:
            return _connection.Connection.from_params(self.params)
        except _options.OptionError as error:
            self.fail_option(error)

    def client(self, connection=None, auth=None):
        """A client for ``connection`` (by default the module's own) with ``auth`` (by default the first
        complete way to authenticate); a warning for credentials that would cross the network in clear."""
        if _client.requests is None:
            self.fail_missing_library("requests", _client.REQUESTS_IMPORT_ERROR, finished=False, succeeded=False)
        connection = connection or self.connection()
        auth = auth or _auth.select_auth(self.params, connection.iam_endpoint)
        if auth is None:
            self.fail_option(_auth.AUTH_METHODS_HELP)
        if auth.can_renew:
            self.warn_plain_http("iam_endpoint", connection.iam_endpoint)
        # One warning a URL: iam_token's connection has IAM's URL for its endpoint.
        if not (auth.can_renew and connection.endpoint == connection.iam_endpoint):
            self.warn_plain_http("endpoint", connection.endpoint)
        return _client.CdmClient.for_connection(connection, auth)

    def cluster(self):
        """The task's cluster (``cluster_id``, or ``cluster_name`` resolved by one cluster-list call), with its client.

        A bad or unknown cluster fails the module before any job call.
        """
        connection = self.connection()
        client = self.client(connection)
        cluster_id, name = self.params.get("cluster_id"), self.params.get("cluster_name")
        try:
            if name is not None:
                _options.check_path_value("cluster_name", name)
                cluster_id = _clusters.cluster_id_for_name(client, connection, name)
            else:
                _options.check_path_value("cluster_id", cluster_id)
        except (_options.OptionError, _clusters.ClusterNameError) as error:
            self.fail_option(error)
        except _errors.CdmError as error:
            self.fail_call(error, msg="could not resolve cluster_name %r: %s" % (name, error.message))
        return _jobs.Cluster(client, connection, cluster_id)
