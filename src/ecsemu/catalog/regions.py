"""Real Alibaba Cloud region and zone IDs, with their Chinese and English names.

cn-hangzhou comes first: it is the default region, used when neither RegionId nor the
endpoint host names one.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_REGION_ID = "cn-hangzhou"

# AcceptLanguage values the API takes. Names exist in Chinese and English; zh-TW reads
# the Chinese names and the other languages the English ones.
ACCEPT_LANGUAGES = ("zh-CN", "zh-TW", "en-US", "ja", "fr", "de", "ko")


@dataclass(frozen=True)
class Zone:
    zone_id: str
    name_zh: str
    name_en: str

    def local_name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Region:
    region_id: str
    name_zh: str
    name_en: str
    zones: tuple[Zone, ...]

    def local_name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


def _region(region_id: str, name_zh: str, name_en: str, zone_letters: str) -> Region:
    """Zones are named as the console names them: '华东 1 可用区 B' / 'Hangzhou Zone B'."""
    short_zh = name_zh.split("（")[0]
    city_en = name_en[name_en.find("(") + 1:name_en.find(")")] if "(" in name_en else name_en
    zones = tuple(
        Zone(f"{region_id}-{letter}", f"{short_zh} 可用区 {letter.upper()}", f"{city_en} Zone {letter.upper()}")
        for letter in zone_letters)
    return Region(region_id, name_zh, name_en, zones)


REGIONS: tuple[Region, ...] = (
    _region("cn-hangzhou", "华东1（杭州）", "China (Hangzhou)", "bghijk"),
    _region("cn-shanghai", "华东2（上海）", "China (Shanghai)", "befglmn"),
    _region("cn-qingdao", "华北1（青岛）", "China (Qingdao)", "bc"),
    _region("cn-beijing", "华北2（北京）", "China (Beijing)", "acdefghijkl"),
    _region("cn-zhangjiakou", "华北3（张家口）", "China (Zhangjiakou)", "abc"),
    _region("cn-huhehaote", "华北5（呼和浩特）", "China (Hohhot)", "ab"),
    _region("cn-wulanchabu", "华北6（乌兰察布）", "China (Ulanqab)", "abc"),
    _region("cn-shenzhen", "华南1（深圳）", "China (Shenzhen)", "acdef"),
    _region("cn-heyuan", "华南2（河源）", "China (Heyuan)", "ab"),
    _region("cn-guangzhou", "华南3（广州）", "China (Guangzhou)", "ab"),
    _region("cn-chengdu", "西南1（成都）", "China (Chengdu)", "ab"),
    _region("cn-hongkong", "中国香港", "China (Hong Kong)", "bcd"),
    _region("ap-northeast-1", "日本（东京）", "Japan (Tokyo)", "abc"),
    _region("ap-northeast-2", "韩国（首尔）", "South Korea (Seoul)", "a"),
    _region("ap-southeast-1", "新加坡", "Singapore", "abc"),
    _region("ap-southeast-3", "马来西亚（吉隆坡）", "Malaysia (Kuala Lumpur)", "ab"),
    _region("ap-southeast-5", "印度尼西亚（雅加达）", "Indonesia (Jakarta)", "abc"),
    _region("ap-southeast-6", "菲律宾（马尼拉）", "Philippines (Manila)", "a"),
    _region("ap-southeast-7", "泰国（曼谷）", "Thailand (Bangkok)", "a"),
    _region("us-east-1", "美国（弗吉尼亚）", "US (Virginia)", "ab"),
    _region("us-west-1", "美国（硅谷）", "US (Silicon Valley)", "ab"),
    _region("eu-west-1", "英国（伦敦）", "UK (London)", "ab"),
    _region("eu-central-1", "德国（法兰克福）", "Germany (Frankfurt)", "abc"),
    _region("me-east-1", "阿联酋（迪拜）", "UAE (Dubai)", "a"),
    _region("me-central-1", "沙特（利雅得）", "Saudi Arabia (Riyadh)", "a"),
)

REGIONS_BY_ID: dict[str, Region] = {r.region_id: r for r in REGIONS}
REGION_IDS: tuple[str, ...] = tuple(REGIONS_BY_ID)
# (RegionId, LocalName) of every region, per AcceptLanguage.
REGION_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    language: tuple((r.region_id, r.local_name(language)) for r in REGIONS) for language in ACCEPT_LANGUAGES}


def region_from_host(host: str) -> str | None:
    """The region an endpoint host names: ``ecs.cn-shanghai.aliyuncs.com``,
    ``ecs-cn-hangzhou.aliyuncs.com``, ``ecs-vpc.cn-beijing.aliyuncs.com``,
    ``vpc-cn-hangzhou.aliyuncs.com``; None otherwise."""
    name = host.rsplit(":", 1)[0].lower() if not host.startswith("[") else ""
    if not name.endswith(".aliyuncs.com"):
        return None
    labels = name[: -len(".aliyuncs.com")].split(".")
    for label in reversed(labels):
        candidate = label[4:] if label.startswith(("ecs-", "vpc-")) else label
        if candidate in REGIONS_BY_ID:
            return candidate
    return None
