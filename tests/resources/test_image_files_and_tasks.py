"""ExportImage and ImportImage against the files dir (an OSSBucket is a directory there, an
OSSObject a file), and the tasks they return (DescribeTasks, DescribeTaskAttribute)."""

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from aliyunsdkecs.request.v20140526.DescribeTasksRequest import DescribeTasksRequest

from ecsemu.storage.base import HEADER
from tests.ecsclient import LINUX_IMAGE, REGION, advance, flat

GIB = 1024**3


def custom_image(ecs, name, **params):
    instance_id = ecs.run_instance(**params)
    ecs("StopInstance", InstanceId=instance_id)
    return ecs("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName=name)["ImageId"]


def _head(path):
    with path.open("rb") as file:
        return file.read(len(HEADER))


def bucket(ecs, name):
    path = ecs.server.emulator.files_dir / name
    path.mkdir(exist_ok=True)
    return path


def test_export_writes_the_image_and_import_reads_it_back(ecs):
    image_id = custom_image(ecs, "to-export")
    directory = bucket(ecs, "exports")
    task_id = ecs.tea().export_image(ecs_models.ExportImageRequest(
        region_id=REGION, image_id=image_id, ossbucket="exports", ossprefix="Daily")).body.task_id
    name = f"Daily_{image_id}_{task_id}.raw"
    exported = directory / name
    size = ecs("DescribeImages", RegionId=REGION, ImageId=image_id)["Images"]["Image"][0]["Size"]
    assert exported.stat().st_size == size * GIB and _head(exported) == HEADER
    attribute = ecs("DescribeTaskAttribute", RegionId=REGION, TaskId=task_id)
    assert (attribute["TaskAction"], attribute["TaskStatus"], attribute["TaskProcess"]) == \
        ("ExportImage", "Finished", "100%")
    items = attribute["OperationProgressSet"]["OperationProgress"][0]["RelatedItemSet"]["RelatedItem"]
    assert {i["Name"]: i["Value"] for i in items} == {"OSSBucket": "exports", "OSSObject": name, "ImageFormat": "raw"}

    body = ecs.tea().import_image(ecs_models.ImportImageRequest(
        region_id=REGION, image_name="imported-back", platform="Ubuntu",
        disk_device_mapping=[ecs_models.ImportImageRequestDiskDeviceMapping(
            ossbucket="exports", ossobject=name, format="RAW")])).body.to_map()
    imported = ecs("DescribeImages", RegionId=REGION, ImageId=body["ImageId"])["Images"]["Image"][0]
    assert (imported["ImageName"], imported["Size"], imported["Platform"], imported["Status"]) == \
        ("imported-back", size, "Ubuntu", "Available")
    (system,) = imported["DiskDeviceMappings"]["DiskDeviceMapping"]
    assert (system["ImportOSSBucket"], system["ImportOSSObject"], system["Format"]) == ("exports", name, "RAW")
    instance_id = ecs.run_instance(ImageId=body["ImageId"])
    assert ecs.instance(instance_id)["ImageId"] == body["ImageId"]
    tasks = ecs.tea().describe_tasks(ecs_models.DescribeTasksRequest(
        region_id=REGION, task_action="ImportImage")).body.task_set.task
    assert [(t.task_id, t.resource_id, t.task_status) for t in tasks if t.task_id == body["TaskId"]] == \
        [(body["TaskId"], body["ImageId"], "Finished")]


def test_tasks_are_processing_then_finished(manual):
    instance_id = manual.run_instance()
    advance(manual, 60)
    image_id = manual("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName="slow-export")["ImageId"]
    bucket(manual, "slow")
    assert manual.error("ExportImage", RegionId=REGION, ImageId=image_id, OSSBucket="slow") == \
        ("IncorrectImageStatus", 400)
    advance(manual, 60)
    task_id = manual("ExportImage", RegionId=REGION, ImageId=image_id, OSSBucket="slow", ImageFormat="raw")["TaskId"]
    attribute = manual.tea().describe_task_attribute(ecs_models.DescribeTaskAttributeRequest(
        region_id=REGION, task_id=task_id)).body
    assert (attribute.task_status, attribute.task_process, attribute.finished_time) == ("Processing", "0%", "")
    processing = manual("DescribeTasks", RegionId=REGION, TaskStatus="Processing")["TaskSet"]["Task"]
    assert [t["TaskId"] for t in processing] == [task_id]
    advance(manual, 60)
    request = DescribeTasksRequest()
    request.set_TaskIds(task_id)
    done = manual.send(request)["TaskSet"]["Task"]
    assert [(t["TaskStatus"], t["TaskAction"], t["ResourceId"]) for t in done] == \
        [("Finished", "ExportImage", image_id)]
    assert done[0]["FinishedTime"].endswith("Z") and done[0]["SupportCancel"] == "False"


def test_describe_tasks_filters_and_refusals(ecs):
    image_id = custom_image(ecs, "filtered-export")
    bucket(ecs, "filters")
    first = ecs("ExportImage", RegionId=REGION, ImageId=image_id, OSSBucket="filters")["TaskId"]
    second = ecs("ExportImage", RegionId=REGION, ImageId=image_id, OSSBucket="filters")["TaskId"]
    ids = [t["TaskId"] for t in ecs("DescribeTasks", RegionId=REGION, TaskIds=f"{first},{second}",
                                    PageSize=1, PageNumber=2)["TaskSet"]["Task"]]
    assert ids == [second]
    assert ecs("DescribeTasks", RegionId=REGION, TaskIds=first, TaskAction="ImportImage")["TotalCount"] == 0
    assert ecs("DescribeTasks", RegionId=REGION, **{"ResourceIds.1": image_id})["TotalCount"] == 2
    assert ecs("DescribeTasks", RegionId=REGION, TaskIds=first, StartTime="2999-01-01T00:00Z")["TotalCount"] == 0
    assert ecs("DescribeTasks", RegionId=REGION, TaskIds=first, EndTime="2999-01-01T00:00Z")["TotalCount"] == 1
    assert ecs("DescribeTasks", RegionId="cn-shanghai", TaskIds=first)["TotalCount"] == 0
    assert ecs.error("DescribeTasks", RegionId=REGION, StartTime="yesterday") == ("InvalidParameter", 400)
    assert ecs.error("DescribeTasks", RegionId=REGION, TaskIds=",".join(f"t-{n}" for n in range(101))) == \
        ("InvalidParameter", 400)
    assert ecs.error("DescribeTasks", RegionId=REGION, TaskStatus="Done") == ("InvalidParameter", 400)
    assert ecs.error("DescribeTasks", RegionId=REGION, TaskGroupId="g-1") == ("UnsupportedParameter", 400)
    assert ecs.error("DescribeTaskAttribute", RegionId=REGION, TaskId="t-none") == ("InvalidTaskId.NotFound", 400)
    assert ecs.error("DescribeTaskAttribute", RegionId="cn-shanghai", TaskId=first) == \
        ("InvalidTaskId.NotFound", 400)
    assert ecs.error("DescribeTaskAttribute", RegionId=REGION) == ("MissingParameter", 400)


def test_export_refusals(ecs):
    image_id = custom_image(ecs, "export-refusals")
    with_data = custom_image(ecs, "export-data", **flat("DataDisk", [{"Size": 20}]))
    bucket(ecs, "refusals")
    export = dict(RegionId=REGION, ImageId=image_id, OSSBucket="refusals")
    assert ecs.error("ExportImage", **{**export, "ImageId": "m-none"}) == ("InvalidImageId.NotFound", 404)
    assert ecs.error("ExportImage", **{**export, "ImageId": LINUX_IMAGE}) == ("InvalidImageId.NotFound", 404)
    assert ecs.error("ExportImage", **{**export, "ImageId": with_data}) == ("OperationDenied", 400)
    assert ecs.error("ExportImage", **{**export, "OSSBucket": "no-such-bucket"}) == ("InvalidOSSBucket.NotFound", 400)
    assert ecs.error("ExportImage", **{**export, "OSSBucket": "../outside"}) == ("InvalidOSSBucket.NotFound", 400)
    assert ecs.error("ExportImage", **export, OSSPrefix="no/such/dir") == ("InvalidOSSBucket.NotFound", 400)
    assert ecs.error("ExportImage", **export, ImageFormat="vmdk") == ("InvalidImageFormat.Malformed", 400)
    assert ecs.error("ExportImage", **export, DryRun="true") == ("DryRunOperation", 400)
    assert list((ecs.server.emulator.files_dir / "refusals").iterdir()) == []   # nothing written by any of them
    with pytest.raises(ClientException) as raised:
        ecs.tea().export_image(ecs_models.ExportImageRequest(region_id=REGION, image_id=image_id))
    assert raised.value.code == "MissingParameter" and raised.value.status_code == 400


def test_import_refusals(ecs):
    directory = bucket(ecs, "imports")
    (directory / "disk.raw").write_bytes(HEADER + bytes(4096))
    (directory / "disk.vhd").write_bytes(b"conectix" + bytes(4096))
    ok = flat("DiskDeviceMapping", [{"OSSBucket": "imports", "OSSObject": "disk.raw"}])
    before = ecs("DescribeImages", RegionId=REGION, ImageOwnerAlias="self", Status="ALL")["TotalCount"]
    assert ecs.error("ImportImage", RegionId=REGION, ImageName="1bad", **ok) == ("InvalidImageName.Malformed", 400)
    assert ecs.error("ImportImage", RegionId=REGION, Description="http://x", **ok) == \
        ("InvalidDescription.Malformed", 400)
    assert ecs.error("ImportImage", RegionId=REGION, Platform="Plan9", **ok) == ("InvalidPlatform.Malformed", 400)
    assert ecs.error("ImportImage", RegionId=REGION, OSType="beos", **ok) == ("InvalidOSType.Malformed", 400)
    assert ecs.error("ImportImage", RegionId=REGION) == ("MissingParameter.DiskDeviceMapping", 403)
    assert ecs.error("ImportImage", RegionId=REGION, **{"DiskDeviceMapping.1.OSSBucket": "imports"}) == \
        ("MissingParameter.DiskDeviceMapping", 403)
    assert ecs.error("ImportImage", RegionId=REGION, **ok, **{"Tag.1.Key": "aliyun-x"}) == \
        ("InvalidTagKey.Malformed", 400)
    assert ecs.error("ImportImage", RegionId=REGION, **ok, **{"Tag.1.Key": "k", "Tag.1.Value": "http://v"})[0] == \
        "InvalidTagValue.Malformed"
    assert ecs.error("ImportImage", RegionId=REGION, **ok, **{"Tag.1.Key": "k", "Tag.2.Key": "k"})[0] == \
        "Duplicate.TagKey"
    assert ecs.error("ImportImage", RegionId=REGION, **ok, ResourceGroupId="rg-NO") == \
        ("InvalidResourceGroup.NotFound", 404)
    def mapping(bucket_name, object_name):
        return flat("DiskDeviceMapping", [{"OSSBucket": bucket_name, "OSSObject": object_name}])
    assert ecs.error("ImportImage", RegionId=REGION, **mapping("nobucket", "disk.raw")) == \
        ("InvalidOSSBucket.NotFound", 400)
    assert ecs.error("ImportImage", RegionId=REGION, **mapping("imports", "absent.raw")) == \
        ("InvalidOSSObject.NotFound", 400)
    assert ecs.error("ImportImage", RegionId=REGION, **mapping("imports", "disk.vhd")) == ("ImportImageFailed", 403)
    assert ecs.error("ImportImage", RegionId=REGION, DryRun="true", **ok) == ("DryRunOperation", 400)
    assert ecs.error("ImportImage", RegionId=REGION, DetectionStrategy="Standard", **ok) == \
        ("UnsupportedParameter", 400)
    assert ecs("DescribeImages", RegionId=REGION, ImageOwnerAlias="self", Status="ALL")["TotalCount"] == before
    ecs("ImportImage", RegionId=REGION, ImageName="taken-import", **ok)
    assert ecs.error("ImportImage", RegionId=REGION, ImageName="taken-import", **ok) == \
        ("InvalidImageName.Duplicated", 400)
