"""Instance RAM roles: names are recorded per instance, not looked up in RAM."""

from __future__ import annotations

import re

# RAM's own rule for role names: 1-64 letters, digits, '.', '-' and '_'. A name outside it
# names no role that could exist, so it is answered as a role that does not.
_ROLE_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


def valid_role_name(name: str) -> bool:
    return bool(_ROLE_NAME.fullmatch(name))
