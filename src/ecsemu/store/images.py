"""Images in the store: finding one by ID for the account (a public one from the
catalogue, or one of the account's custom images in the region), the account's custom
images, and which images its instances use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, or_, select

from ..catalog.images import PUBLIC_IMAGES_BY_ID, PUBLIC_IMAGES_BY_OS_NAME
from .image_shares import shared_with_account
from .schema import images, instances


@dataclass(frozen=True)
class ImageInfo:
    image_id: str
    status: str
    os_type: str
    platform: str
    os_name: str
    os_name_en: str
    architecture: str
    size: int
    public: bool

    @property
    def is_windows(self) -> bool:
        return self.os_type == "windows"


def find_image(conn: Connection, account_id: str, region_id: str, image_id: str | None) -> ImageInfo | None:
    """A public image, one of the account's custom images in the region, or one another
    account shares with it there: what RunInstances, ReplaceSystemDisk and ReInitDisk can use."""
    if not image_id:
        return None
    public = PUBLIC_IMAGES_BY_ID.get(image_id)
    if public is not None:
        return ImageInfo(public.image_id, "Available", public.os_type, public.platform, public.os_name,
                         public.os_name_en, public.architecture, public.size, public=True)
    # The account's own, or another's shared with it (while it is shared).
    row = conn.execute(select(images).where(
        images.c.id == image_id, images.c.region_id == region_id,
        or_(images.c.account_id == account_id, shared_with_account(images.c.id, account_id)))).first()
    if row is None:
        return None
    return ImageInfo(row.id, row.status, row.os_type, row.platform, row.os_name, os_name_en(row.os_name),
                     row.architecture, row.size, public=False)


def name_taken(conn: Connection, account_id: str, region_id: str, name: str) -> bool:
    """Whether one of the account's custom images in the region has that name."""
    return conn.execute(select(images.c.id).where(images.c.account_id == account_id, images.c.region_id == region_id,
                                                  images.c.image_name == name)).first() is not None


def custom_images(conn: Connection, account_id: str, region_id: str, image_ids: Sequence[str] | None) -> list[Any]:
    """The account's custom images in the region (only those with ``image_ids`` when given)."""
    query = select(images).where(images.c.account_id == account_id, images.c.region_id == region_id)
    if image_ids is not None:
        query = query.where(images.c.id.in_(image_ids))
    return list(conn.execute(query).all())


def os_name_en(os_name: str) -> str:
    """A custom image keeps its source's OSName; the English one is the public image's
    where the name is one of theirs, else the same words with ``64 bit``."""
    public = PUBLIC_IMAGES_BY_OS_NAME.get(os_name)
    if public is not None:
        return public.os_name_en
    return os_name.replace("64位", "64 bit").replace("32位", "32 bit")


def os_names(conn: Connection, image_ids: set[str]) -> dict[str, tuple[str, str]]:
    """(OSName, OSNameEn) of each image, public or custom; a deleted image has none."""
    names = {i: (PUBLIC_IMAGES_BY_ID[i].os_name, PUBLIC_IMAGES_BY_ID[i].os_name_en)
             for i in image_ids if i in PUBLIC_IMAGES_BY_ID}
    custom = image_ids - set(names)
    if custom:
        for image_id, os_name in conn.execute(select(images.c.id, images.c.os_name).where(images.c.id.in_(custom))):
            names[image_id] = (os_name, os_name_en(os_name))
    return names


def used_image_ids(conn: Connection, account_id: str, region_id: str) -> set[str]:
    """The images the account's instances in the region were made from."""
    return {image_id for (image_id,) in conn.execute(select(instances.c.image_id).distinct().where(
        instances.c.account_id == account_id, instances.c.region_id == region_id))}


def instances_using(conn: Connection, image_id: str) -> list[str]:
    """IDs of the instances whose system disk was made from the image."""
    query = select(instances.c.id).where(instances.c.image_id == image_id)
    return [instance_id for (instance_id,) in conn.execute(query)]


def family_images(conn: Connection, account_id: str, region_id: str, family: str) -> list[Any]:
    """The Available custom images of an image family in the region: the account's own and
    those shared with it."""
    query = select(images).where(
        images.c.region_id == region_id, images.c.image_family == family, images.c.status == "Available",
        or_(images.c.account_id == account_id, shared_with_account(images.c.id, account_id)))
    return list(conn.execute(query).all())


def usable_custom_image(conn: Connection, account_id: str, region_id: str, image_id: str) -> Any | None:
    """The row of a custom image in the region that the account owns or has shared with it."""
    return conn.execute(select(images).where(
        images.c.id == image_id, images.c.region_id == region_id,
        or_(images.c.account_id == account_id, shared_with_account(images.c.id, account_id)))).first()
