"""Parameter declarations read every wire form and answer the real errors."""

import pytest

from ecsemu import errors
from ecsemu.actions.params import Kind, Param, Type

DATA_DISK = Param("DataDisk", kind=Kind.OBJECT_LIST, max_items=16, fields=(
    Param("Size", type=Type.INTEGER, required=True, minimum=1),
    Param("Category", enum=("cloud_essd", "cloud_ssd")),
    Param("DeleteWithInstance", type=Type.BOOLEAN, default=True),
))


def code_of(param, raw):
    with pytest.raises(errors.EcsError) as raised:
        param.parse(raw)
    return raised.value.code, raised.value.message


@pytest.mark.parametrize("text, value", [("true", True), ("True", True), ("TRUE", True), ("false", False),
                                         ("False", False)])
def test_booleans_in_any_case(text, value):
    assert Param("Flag", type=Type.BOOLEAN).parse({"Flag": text}) is value


def test_bad_boolean_is_invalid_parameter():
    assert code_of(Param("Flag", type=Type.BOOLEAN), {"Flag": "yes"}) == (
        "InvalidParameter", 'The specified parameter "Flag" is not valid.')


def test_integers_and_ranges():
    size = Param("Size", type=Type.INTEGER, minimum=20, maximum=500)
    assert size.parse({"Size": "40"}) == 40
    for bad in ("19", "501", "4.5", "1_000", " 40", "", "x"):
        if bad:
            assert code_of(size, {"Size": bad})[0] == "InvalidParameter"
    assert code_of(Param("N", type=Type.INTEGER), {"N": str(2**31)})[0] == "InvalidParameter"
    assert Param("N", type=Type.LONG).parse({"N": str(2**40)}) == 2**40


def test_missing_required_names_the_parameter():
    assert code_of(Param("DiskId", required=True), {}) == (
        "MissingParameter",
        'The input parameter "DiskId" that is mandatory for processing this request is not supplied.')


def test_an_action_may_answer_its_own_code_for_a_missing_parameter():
    destination = Param("DestinationResource", required=True, missing=errors.AVAILABLE_DESTINATION_MISSING)
    assert code_of(destination, {}) == ("Invalid.Param", errors.AVAILABLE_DESTINATION_MISSING.message)
    assert code_of(destination, {"DestinationResource": ""})[0] == "Invalid.Param"
    assert destination.error_codes() == [errors.AVAILABLE_DESTINATION_MISSING]


def test_empty_value_counts_as_absent():
    assert Param("Name", default="d").parse({"Name": ""}) == "d"
    assert code_of(Param("DiskId", required=True), {"DiskId": ""})[0] == "MissingParameter"


def test_default_and_enum():
    lang = Param("AcceptLanguage", enum=("zh-CN", "en-US"), default="zh-CN",
                 invalid=errors.ACCEPT_LANGUAGE_NOT_FOUND)
    assert lang.parse({}) == "zh-CN"
    assert lang.parse({"AcceptLanguage": "en-US"}) == "en-US"
    assert code_of(lang, {"AcceptLanguage": "xx"})[0] == "InvalidAcceptLanguage.NotFound"


def test_length_limits():
    name = Param("Name", min_length=2, max_length=4)
    assert name.parse({"Name": "abc"}) == "abc"
    assert code_of(name, {"Name": "a"})[0] == "InvalidParameter"
    assert code_of(name, {"Name": "abcde"})[0] == "InvalidParameter"


def test_json_array_with_spaces():
    ids = Param("DiskIds", kind=Kind.JSON_ARRAY, max_items=3)
    assert ids.parse({"DiskIds": '["d-1", "d-2"]'}) == ["d-1", "d-2"]
    assert ids.parse({"DiskIds": "[]"}) == []
    for bad in ('"d-1"', "[d-1]", '["a","b","c","d"]', "{}"):
        assert code_of(ids, {"DiskIds": bad}) == ("InvalidParameter", 'The specified parameter "DiskIds" is not valid.')


def test_n_indexed_list_in_index_order():
    ids = Param("InstanceId", kind=Kind.LIST, max_items=3)
    assert ids.parse({"InstanceId.2": "i-2", "InstanceId.1": "i-1"}) == ["i-1", "i-2"]
    assert ids.parse({"Other": "x"}) is None
    assert code_of(ids, {"InstanceId.4": "i-4"})[0] == "InvalidParameter"
    assert code_of(ids, {"InstanceId.x": "i"})[0] == "InvalidParameter"
    assert code_of(ids, {"InstanceId.0": "i"})[0] == "InvalidParameter"


def test_dotted_object():
    disk = Param("SystemDisk", kind=Kind.OBJECT, fields=(
        Param("Category", enum=("cloud_essd",)), Param("Size", type=Type.INTEGER)))
    assert disk.parse({"SystemDisk.Category": "cloud_essd"}) == {"Category": "cloud_essd", "Size": None}
    assert disk.parse({}) is None
    assert code_of(disk, {"SystemDisk.Size": "big"}) == (
        "InvalidParameter", 'The specified parameter "SystemDisk.Size" is not valid.')


def test_list_of_objects():
    raw = {"DataDisk.1.Size": "20", "DataDisk.1.Category": "cloud_essd",
           "DataDisk.2.Size": "40", "DataDisk.2.DeleteWithInstance": "false"}
    assert DATA_DISK.parse(raw) == [
        {"Size": 20, "Category": "cloud_essd", "DeleteWithInstance": True},
        {"Size": 40, "Category": None, "DeleteWithInstance": False},
    ]


def test_list_of_objects_errors_name_the_member():
    assert code_of(DATA_DISK, {"DataDisk.1.Category": "cloud_essd"}) == (
        "MissingParameter",
        'The input parameter "DataDisk.1.Size" that is mandatory for processing this request is not supplied.')
    assert code_of(DATA_DISK, {"DataDisk.17.Size": "20"})[0] == "InvalidParameter"


def test_wire_names_for_docs():
    assert DATA_DISK.wire_names() == ["DataDisk.N.Size", "DataDisk.N.Category", "DataDisk.N.DeleteWithInstance"]
    assert Param("InstanceId", kind=Kind.LIST).wire_names() == ["InstanceId.N"]
