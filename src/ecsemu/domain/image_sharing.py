"""Sharing a custom image with other accounts (ModifyImageSharePermission's rules)."""

from __future__ import annotations

from collections.abc import Sequence

MAX_ACCOUNTS_A_CALL = 10   # AddAccount.N / RemoveAccount.N: the real service ignores the rest
MAX_SHARED_ACCOUNTS = 50   # accounts one image can be shared with
MAX_ACCOUNT_ID = 32        # characters of an account ID (the store's column)


def accounts_asked(values: Sequence[str] | None) -> list[str]:
    """The account IDs a call names, the first ten only (as the real service takes them)."""
    return [value.strip() for value in (values or ())][:MAX_ACCOUNTS_A_CALL]


def is_account_id(text: str) -> bool:
    """An account of this emulator: any numeric ID (a declared key's, or one a loose-mode
    key makes up). Anything else names no account."""
    return 0 < len(text) <= MAX_ACCOUNT_ID and text.isascii() and text.isdigit()
