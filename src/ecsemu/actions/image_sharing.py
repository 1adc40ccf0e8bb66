"""Sharing custom images with other accounts: ModifyImageSharePermission,
DescribeImageSharePermission.

An image shared with an account is that account's to see (DescribeImages
``ImageOwnerAlias=others``) and to use (RunInstances, ReplaceSystemDisk, ReInitDisk of a
system disk made from it) in the image's region, for as long as it stays shared: once
unshared, ReInitDisk of such a disk answers as for a deleted image (store/images.find_image
is the one place that decides).
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..clock import utc_iso
from ..domain import image_sharing as rules
from ..store import image_shares
from ..store.rows import find
from ..store.schema import images
from .common import DRY_RUN, PAGE_NUMBER, REGION_ID, dry_run_check, page_size
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Images"
IMAGE_ID = Param("ImageId", required=True, description="The custom image (the account's own).")


def _accounts(values: list[str] | None, own: str) -> list[str]:
    accounts = rules.accounts_asked(values)
    for account in accounts:
        if not rules.is_account_id(account):
            raise errors.SHARE_ACCOUNT_NOT_FOUND()
        if account == own:
            raise errors.SHARE_WITH_SELF()
    return accounts


def _own_image(conn, ctx: CallContext, args: Args, *, lock: bool = False) -> Any:
    """The account's custom image in the region (public and shared images are not its to share)."""
    image = find(conn, images, ctx.account_id, args["ImageId"], lock=lock)
    if image is None or image.region_id != args["RegionId"]:
        raise errors.IMAGE_NOT_FOUND()
    return image


# --- ModifyImageSharePermission --------------------------------------------------------------

def modify_image_share_permission(ctx: CallContext, args: Args) -> dict[str, Any]:
    adding = _accounts(args["AddAccount"], ctx.account_id)
    removing = _accounts(args["RemoveAccount"], ctx.account_id)
    with ctx.emulator.unit_of_work() as conn:
        image = _own_image(conn, ctx, args, lock=True)
        if adding and image.status != "Available":
            raise errors.SHARE_IMAGE_STATUS()
        after = (set(image_shares.accounts_of(conn, image.id)) - set(removing)) | set(adding)
        if len(after) > rules.MAX_SHARED_ACCOUNTS:
            raise errors.SHARE_QUOTA()
        dry_run_check(args)
        image_shares.unshare(conn, image.id, removing)
        image_shares.share(conn, image.id, adding, ctx.now())
    return {}


# --- DescribeImageSharePermission ------------------------------------------------------------

def describe_image_share_permission(ctx: CallContext, args: Args) -> dict[str, Any]:
    number, size = args["PageNumber"], args["PageSize"]
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        image = _own_image(conn, ctx, args)
        total = image_shares.count(conn, image.id)
        shares = image_shares.page(conn, image.id, (number - 1) * size, size)
    return {"RegionId": args["RegionId"], "ImageId": image.id,
            "Accounts": {"Account": [{"AliyunId": account, "SharedTime": utc_iso(at)} for account, at in shares]},
            "ShareGroups": {"ShareGroup": []},
            "TotalCount": total, "PageNumber": number, "PageSize": size}


ACTIONS = (
    Action("ModifyImageSharePermission", FAMILY,
           "Shares a custom image with other accounts of the emulator, or stops sharing it.",
           params=(REGION_ID, IMAGE_ID,
                   Param("AddAccount", kind=Kind.LIST,
                         description="Accounts to share it with (the first 10; at most 50 in all)."),
                   Param("RemoveAccount", kind=Kind.LIST, description="Accounts to stop sharing it with "
                                                                      "(the first 10)."),
                   Param("IsPublic", type=Type.BOOLEAN, default=False, supported=False,
                         description="Publish as a community image: not emulated (refused)."),
                   Param("LaunchPermission", supported=False,
                         description="Community image launch permission: not emulated (refused)."),
                   DRY_RUN),
           handler=modify_image_share_permission,
           raises=(errors.SHARE_ACCOUNT_NOT_FOUND, errors.SHARE_WITH_SELF, errors.IMAGE_NOT_FOUND,
                   errors.SHARE_IMAGE_STATUS, errors.SHARE_QUOTA, errors.DRY_RUN_OPERATION)),
    Action("DescribeImageSharePermission", FAMILY, "Lists the accounts a custom image is shared with.",
           params=(REGION_ID, IMAGE_ID, PAGE_NUMBER, page_size(100)),
           handler=describe_image_share_permission,
           raises=(errors.IMAGE_NOT_FOUND,)),
)
