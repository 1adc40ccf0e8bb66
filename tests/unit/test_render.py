"""Success and error bodies in both formats."""

import json
import xml.etree.ElementTree as ET

from ecsemu.wire import render

PAYLOAD = {"TotalCount": 2, "Regions": {"Region": [{"RegionId": "a", "Ok": True}, {"RegionId": "b&c", "Ok": False}]},
           "Tags": {"Tag": []}}


def test_json_success_puts_request_id_first():
    response = render.success("DescribeRegions", PAYLOAD, "RID", xml=False)
    assert response.status == 200 and response.content_type == "application/json;charset=utf-8"
    body = json.loads(response.body)
    assert next(iter(body)) == "RequestId" and body["Regions"]["Region"][1]["RegionId"] == "b&c"


def test_xml_success_nests_lists_like_json():
    response = render.success("DescribeRegions", PAYLOAD, "RID", xml=True)
    assert response.content_type == "text/xml;charset=utf-8"
    assert response.body.startswith(b"<?xml version='1.0' encoding='UTF-8'?><DescribeRegionsResponse>")
    root = ET.fromstring(response.body)
    assert root.tag == "DescribeRegionsResponse" and root.findtext("RequestId") == "RID"
    regions = root.findall("Regions/Region")
    assert [r.findtext("RegionId") for r in regions] == ["a", "b&c"]
    assert [r.findtext("Ok") for r in regions] == ["true", "false"]
    assert root.find("Tags") is not None and list(root.find("Tags")) == []


def test_json_error_fields():
    response = render.error(403, "IncorrectInstanceStatus", "msg", "RID", "ecs.aliyuncs.com", xml=False)
    body = json.loads(response.body)
    assert response.status == 403
    assert body == {"RequestId": "RID", "HostId": "ecs.aliyuncs.com", "Code": "IncorrectInstanceStatus",
                    "Message": "msg", "Recommend": body["Recommend"]}
    assert "IncorrectInstanceStatus" in body["Recommend"] and "RID" in body["Recommend"]


def test_xml_error_is_an_error_element_with_cdata_recommend():
    response = render.error(404, "InvalidAction.NotFound", "a < b", "RID", "h", xml=True)
    assert response.content_type == "text/xml;charset=utf-8"
    assert b"<Recommend><![CDATA[https://" in response.body
    root = ET.fromstring(response.body)
    assert root.tag == "Error"
    assert [child.tag for child in root] == ["RequestId", "HostId", "Code", "Message", "Recommend"]
    assert root.findtext("Message") == "a < b"
