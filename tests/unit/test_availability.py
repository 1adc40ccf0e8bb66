"""DescribeAvailableResource's rules over plain values (domain/availability.py): which
parameters the service refuses together, in its order, and what a zone's offer yields."""

import pytest

from ecsemu.catalog.disk_categories import BY_NAME
from ecsemu.catalog.instance_types import INSTANCE_TYPES_BY_ID
from ecsemu.catalog.offers import EVERY_ZONE, Offer
from ecsemu.domain.availability import Query, Supported, check, supported
from ecsemu.errors import EcsError


@pytest.mark.parametrize(("query", "code"), [
    (Query("Zone", cores=2, memory=8), "InvalidParam.Cores"),           # Cores is checked first
    (Query("SystemDisk", memory=8), "InvalidParam.Memory"),
    (Query("InstanceType", instance_type="ecs.g7.large", memory=8), "InvalidParam.TypeAndCpuMem.Conflict"),
    (Query("Zone", dedicated_host_id="dh-1", cores=2), "InvalidParam.Cores"),
    (Query("Zone", dedicated_host_id="dh-1"), "InvalidDedicatedHostId.NotFound"),
    (Query("SystemDisk", dedicated_host_id="dh-1"), "InvalidDedicatedHostId.NotFound"),
    (Query("SystemDisk"), "MissingParameter"),
    (Query("DataDisk", resource_type="reservedinstance"), "MissingParameter"),
])
def test_refused_combinations_in_order(query, code):
    with pytest.raises(EcsError) as raised:
        check(query)
    assert raised.value.code == code


@pytest.mark.parametrize("query", [
    Query("InstanceType", cores=2, memory=8), Query("DataDisk", resource_type="disk"),
    Query("SystemDisk", resource_type="disk"), Query("Zone", instance_type="ecs.g7.large"),
])
def test_accepted_combinations(query):
    check(query)


SMALL = Offer(instance_types=(INSTANCE_TYPES_BY_ID["ecs.g7.large"], INSTANCE_TYPES_BY_ID["ecs.c7.large"]),
              system_disks=(BY_NAME["cloud_essd"],), data_disks=(BY_NAME["cloud_essd"], BY_NAME["cloud_auto"]))


def test_what_an_offer_yields():
    assert supported("z-1", SMALL, Query("Zone")) == [Supported("z-1")]
    assert supported("z-1", SMALL, Query("InstanceType", memory=4)) == [Supported("ecs.c7.large")]
    assert supported("z-1", SMALL, Query("SystemDisk", instance_type="ecs.g7.large")) == \
        [Supported("cloud_essd", (20, 2048))]
    # With an instance, the system disk defaults to cloud_efficiency, which this offer lacks.
    assert supported("z-1", SMALL, Query("DataDisk", instance_type="ecs.g7.large")) == []
    assert supported("z-1", SMALL, Query("DataDisk", instance_type="ecs.g7.large",
                                         system_disk_category="cloud_essd")) == \
        [Supported("cloud_essd", (20, 65536)), Supported("cloud_auto", (1, 65536))]
    assert supported("z-1", SMALL, Query("DataDisk", resource_type="disk", data_disk_category="cloud_auto")) == \
        [Supported("cloud_auto", (1, 65536))]
    assert supported("z-1", SMALL, Query("Zone", instance_type="ecs.r7.large")) == []
    assert supported("z-1", SMALL, Query("Zone", io_optimized="none")) == []
    assert supported("z-1", SMALL, Query("Network", network_category="classic")) == []
    assert supported("z-1", EVERY_ZONE, Query("ddh")) == []
