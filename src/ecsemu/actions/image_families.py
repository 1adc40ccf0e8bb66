"""DescribeImageFromFamily: the newest Available image of an image family, among the
catalogue's public images (``acs:…`` families) and the custom images the account may use in
the region (its own and those shared with it)."""

from __future__ import annotations

from typing import Any

from ..catalog.images import PUBLIC_IMAGES
from ..store import tags as tag_store
from ..store.images import family_images, used_image_ids
from .common import REGION_ID
from .declaration import Action, Args, CallContext
from .images import FAMILY, custom_view, public_view
from .params import Param


def describe_image_from_family(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id, family = args["RegionId"], args["ImageFamily"]
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        now = ctx.now()
        used = used_image_ids(conn, ctx.account_id, region_id)
        views = [public_view(image, image.image_id in used) for image in PUBLIC_IMAGES
                 if image.image_family == family]
        rows = family_images(conn, ctx.account_id, region_id, family)
        tags = tag_store.tags_of(conn, [row.id for row in rows if row.account_id == ctx.account_id])
        views += [custom_view(row, now, row.id in used, tags.get(row.id, []),
                              alias="self" if row.account_id == ctx.account_id else "others") for row in rows]
    if not views:  # no image in the family: an empty Image, as the real service answers
        return {"Image": {}}
    newest = max(views, key=lambda view: (view["_created_at"], view["ImageId"]))
    del newest["_created_at"]
    return {"Image": newest}


ACTIONS = (
    Action("DescribeImageFromFamily", FAMILY, "The newest Available image of an image family (public or custom).",
           params=(REGION_ID, Param("ImageFamily", required=True, description="The image family.")),
           handler=describe_image_from_family),
)
