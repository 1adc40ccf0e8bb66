"""ModifyImageAttribute: a custom image's name, description, family, boot mode, licence type,
features, and its status between Available and Deprecated. DescribeImages reads each change
back; a Deprecated image still makes instances."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..domain import images as rules
from ..domain import instances as naming
from ..domain.status import IMAGE, IMAGE_SETTABLE
from ..store.images import name_taken
from ..store.rows import assign, find, move
from ..store.schema import images
from .common import DRY_RUN, REGION_ID, dry_run_check
from .declaration import Action, Args, CallContext
from .params import Kind, Param

FAMILY = "Images"


def _changes(args: Args, image: Any) -> dict[str, Any]:
    """The columns the request sets (the status apart), each checked."""
    changes: dict[str, Any] = {}
    if args["ImageName"] is not None:
        if not rules.valid_image_name(args["ImageName"]):
            raise errors.INVALID_IMAGE_NAME()
        changes["image_name"] = args["ImageName"]
    if args["Description"] is not None:
        if not naming.valid_description(args["Description"]):
            raise errors.INVALID_IMAGE_DESCRIPTION()
        changes["description"] = args["Description"]
    if args["ImageFamily"] is not None:
        if not rules.valid_image_name(args["ImageFamily"]):
            raise errors.INVALID_IMAGE_FAMILY()
        changes["image_family"] = args["ImageFamily"]
    if args["BootMode"] is not None:
        changes["boot_mode"] = args["BootMode"]
    if args["LicenseType"] is not None:
        changes["license_type"] = args["LicenseType"]
    features = args["Features"] or {}
    if features.get("NvmeSupport") is not None:
        changes["nvme_support"] = features["NvmeSupport"]
    if features.get("ImdsSupport") is not None:
        if not rules.imds_change_allowed(image.imds_support, features["ImdsSupport"]):
            raise errors.IMDS_SUPPORT_DOWNGRADE()
        changes["imds_support"] = features["ImdsSupport"]
    return changes


def modify_image_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        image = find(conn, images, ctx.account_id, args["ImageId"], lock=True)
        if image is None or image.region_id != args["RegionId"]:
            raise errors.IMAGE_NOT_FOUND()      # public images among them: only custom ones change
        changes = _changes(args, image)
        name = changes.get("image_name")
        if name is not None and name != image.image_name and name_taken(conn, ctx.account_id, image.region_id, name):
            raise errors.DUPLICATE_IMAGE_NAME()
        status = args["Status"]
        if status is not None and status != image.status and image.status not in IMAGE_SETTABLE:
            raise errors.IMAGE_STATUS_CHANGE()   # Creating, CreateFailed: neither deprecated nor restored
        dry_run_check(args)
        if changes:
            assign(conn, images, image.id, **changes)
        if status is not None and status != image.status \
                and not move(conn, images, IMAGE, image.id, image.status, status):
            raise errors.IMAGE_STATUS_CHANGE()
    return {}


ACTIONS = (
    Action("ModifyImageAttribute", FAMILY, "Changes a custom image's name, description, family, boot mode, licence "
                                           "type or features, or deprecates or restores it.",
           params=(REGION_ID, Param("ImageId", required=True, description="The custom image."),
                   Param("ImageName", description="Name, 2-128 characters, unique in the region; not aliyun… "
                                                  "nor acs:…."),
                   Param("Description", description="Description, 2-256 characters."),
                   Param("ImageFamily", description="Image family, named as an image is."),
                   Param("BootMode", enum=rules.BOOT_MODES, description="BIOS, UEFI or UEFI-Preferred."),
                   Param("LicenseType", enum=rules.LICENSE_TYPES, description="Auto, Aliyun or BYOL."),
                   Param("Features", kind=Kind.OBJECT, description="Image features.", fields=(
                       Param("NvmeSupport", enum=rules.NVME_SUPPORT, description="supported or unsupported."),
                       Param("ImdsSupport", enum=rules.IMDS_SUPPORT, description="v1 or v2 (v2 never back to v1)."),
                   )),
                   Param("Status", enum=IMAGE_SETTABLE,
                         description="Deprecated (still makes instances) or Available (restored)."),
                   DRY_RUN),
           handler=modify_image_attribute,
           raises=(errors.IMAGE_NOT_FOUND, errors.INVALID_IMAGE_NAME, errors.INVALID_IMAGE_DESCRIPTION,
                   errors.INVALID_IMAGE_FAMILY, errors.IMDS_SUPPORT_DOWNGRADE, errors.DUPLICATE_IMAGE_NAME,
                   errors.IMAGE_STATUS_CHANGE, errors.DRY_RUN_OPERATION)),
)
