"""Public images (``ImageOwnerAlias=system``), with IDs shaped like the real ones.

They exist in every region. Custom images (``m-…``) are the account's own and live in the
database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_RELEASE_DATE = re.compile(r"_(20[0-9]{6})\.vhd$")


@dataclass(frozen=True)
class PublicImage:
    image_id: str
    image_name: str
    os_type: str          # linux | windows
    platform: str
    os_name: str
    os_name_en: str
    size: int             # GiB
    architecture: str = "x86_64"
    image_family: str = ""

    @property
    def is_windows(self) -> bool:
        return self.os_type == "windows"

    @property
    def created_at(self) -> float:
        """Release time, from the date the ID ends with (``…_20240926.vhd``)."""
        match = _RELEASE_DATE.search(self.image_id)
        if match is None:
            return 0.0
        return datetime.strptime(match.group(1), "%Y%m%d").replace(tzinfo=UTC).timestamp()


PUBLIC_IMAGES: tuple[PublicImage, ...] = (
    PublicImage("aliyun_3_x64_20G_alibase_20240819.vhd", "aliyun_3_x64_20G_alibase_20240819.vhd", "linux",
                "Aliyun", "Alibaba Cloud Linux  3.2104 LTS 64位", "Alibaba Cloud Linux  3.2104 LTS 64 bit", 20,
                image_family="acs:alibaba_cloud_linux_3_2104_lts_x64"),
    PublicImage("ubuntu_22_04_x64_20G_alibase_20240926.vhd", "ubuntu_22_04_x64_20G_alibase_20240926.vhd", "linux",
                "Ubuntu", "Ubuntu  22.04 64位", "Ubuntu  22.04 64 bit", 20, image_family="acs:ubuntu_22_04_x64"),
    PublicImage("ubuntu_24_04_x64_20G_alibase_20240923.vhd", "ubuntu_24_04_x64_20G_alibase_20240923.vhd", "linux",
                "Ubuntu", "Ubuntu  24.04 64位", "Ubuntu  24.04 64 bit", 20, image_family="acs:ubuntu_24_04_x64"),
    PublicImage("debian_12_7_x64_20G_alibase_20240927.vhd", "debian_12_7_x64_20G_alibase_20240927.vhd", "linux",
                "Debian", "Debian  12.7 64位", "Debian  12.7 64 bit", 20, image_family="acs:debian_12_x64"),
    PublicImage("centos_7_9_x64_20G_alibase_20240628.vhd", "centos_7_9_x64_20G_alibase_20240628.vhd", "linux",
                "CentOS", "CentOS  7.9 64位", "CentOS  7.9 64 bit", 20, image_family="acs:centos_7_9_x64"),
    PublicImage("rockylinux_9_4_x64_20G_alibase_20240709.vhd", "rockylinux_9_4_x64_20G_alibase_20240709.vhd",
                "linux", "Rocky Linux", "Rocky Linux  9.4 64位", "Rocky Linux  9.4 64 bit", 20,
                image_family="acs:rockylinux_9_x64"),
    PublicImage("win2022_21H2_x64_dtc_en-us_40G_alibase_20240916.vhd",
                "win2022_21H2_x64_dtc_en-us_40G_alibase_20240916.vhd", "windows", "Windows Server 2022",
                "Windows Server  2022 数据中心版 64位英文版",
                "Windows Server  2022 Data Center Edition 64bit English Edition",
                40, image_family="acs:windows_server_2022_x64_en-us"),
    PublicImage("win2019_1809_x64_dtc_zh-cn_40G_alibase_20240916.vhd",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20240916.vhd", "windows", "Windows Server 2019",
                "Windows Server  2019 数据中心版 64位中文版",
                "Windows Server  2019 Data Center Edition 64bit Chinese Edition",
                40, image_family="acs:windows_server_2019_x64_zh-cn"),
)

# The one public image that boots with ``--instances qemu`` (guest/image.py builds its bytes
# from the host's kernel and busybox at first use).
PUBLIC_IMAGES += (
    PublicImage("ecsemu_busybox_1_35_x64_20G_alibase_20261101.vhd", "ecsemu_busybox_1_35_x64_20G_alibase_20261101.vhd",
                "linux", "Others Linux", "ecsemu busybox 1.35 64位", "ecsemu busybox 1.35 64 bit", 20,
                image_family="acs:ecsemu_busybox_x64"),
)

PUBLIC_IMAGES_BY_ID: dict[str, PublicImage] = {image.image_id: image for image in PUBLIC_IMAGES}
PUBLIC_IMAGES_BY_OS_NAME: dict[str, PublicImage] = {image.os_name: image for image in PUBLIC_IMAGES}
