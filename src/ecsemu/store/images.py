"""Finding an image by ID for the account: a public one from the catalogue, or one of the
account's custom images in the region."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from ..catalog.images import PUBLIC_IMAGES_BY_ID
from .schema import images


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
    if not image_id:
        return None
    public = PUBLIC_IMAGES_BY_ID.get(image_id)
    if public is not None:
        return ImageInfo(public.image_id, "Available", public.os_type, public.platform, public.os_name,
                         public.os_name_en, public.architecture, public.size, public=True)
    row = conn.execute(select(images).where(images.c.id == image_id, images.c.account_id == account_id,
                                            images.c.region_id == region_id)).first()
    if row is None:
        return None
    return ImageInfo(row.id, row.status, row.os_type, row.platform, row.os_name, row.os_name, row.architecture,
                     row.size, public=False)
