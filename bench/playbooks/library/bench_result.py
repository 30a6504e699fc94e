# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# 3c's stand-in module, not part of the collection: it returns a result read
# from a file and makes no request, so that its task's last round costs only
# what Ansible does with the result.

import json

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True)))
    with open(module.params["path"]) as handle:
        result = json.load(handle)
    module.exit_json(**result)


main()
