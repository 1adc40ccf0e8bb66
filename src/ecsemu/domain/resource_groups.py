"""Resource groups, as rules. Resource Manager is not emulated: every group ID shaped like
the real ones (``rg-`` and lower-case letters and digits, e.g. ``rg-acfmxazb4ph6aiy``)
names a group that exists. A resource made without one is in none: its
``ResourceGroupId`` reads ``""`` (a Terraform resource that sets no group then shows no
change, spec terraform-calls.md 2.8)."""

from __future__ import annotations

import re

NONE = ""   # what a resource in no group shows

# ResourceType of JoinResourceGroup (case-sensitive, as its reference says); snapshotpolicy
# too, which the Terraform provider sends for automatic snapshot policies.
RESOURCE_TYPES = ("instance", "disk", "snapshot", "image", "securitygroup", "ddh", "ddhcluster", "eni", "keypair",
                  "launchtemplate", "command", "activation", "managedinstance", "snapshotpolicy")

_GROUP_ID = re.compile(r"rg-[0-9a-z]{3,61}")


def exists(group_id: str) -> bool:
    return _GROUP_ID.fullmatch(group_id) is not None
