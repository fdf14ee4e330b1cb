"""CTWing (AEP) contract: push messages, the water thing model, signed commands (§5)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from app.comm.protocols import ctwing as c
from app.comm.types import Action, MeterKind

MODEL = c.load_water_model()

# Shapes from PROTOCOLS.md §5.1.
DATA_REPORT = {
    "messageType": "dataReport",
    "tenantId": "2000033827",
    "productId": "15045240",
    "deviceId": "d01308047f864601a821e02dc328eab4",
    "IMEI": "862592012345678",
    "IMSI": "undefined",
    "protocol": "lwm2m",
    "topic": "v1/up/ad19",
    "serviceId": 10,
    "timestamp": 1619524024049,
    "upPacketSN": -1,
    "upDataSN": -1,
    "deviceType": "",
    "assocAssetId": "",
    "payload": {"cumulativeFlow": 123.456, "valveStatus": 1, "batteryVoltage": 3.61, "RSRP": -95},
}


def test_data_report_becomes_a_water_reading_in_litres():
    report = c.parse_push(json.dumps(DATA_REPORT).encode())
    assert isinstance(report, c.DataReport)
    assert (
        report.device_id == "d01308047f864601a821e02dc328eab4" and report.imei == "862592012345678"
    )
    assert report.timestamp == datetime(2021, 4, 27, 11, 47, 4, 49000, tzinfo=UTC)
    reading = c.water_reading(report, MODEL, channel_id=9)
    assert reading.kind is MeterKind.WATER
    assert reading.total == 123456  # litres
    assert (reading.valve_open, reading.battery_v, reading.signal_dbm) == (True, 3.61, -95.0)
    assert reading.address == report.device_id and reading.source == "upload"


def test_lwm2m_service_data_and_valve_states():
    push = dict(
        DATA_REPORT,
        payload={"serviceId": "WaterMeter", "serviceData": {"totalFlow": "7", "valveState": 2}},
    )
    report = c.parse_push(push)
    assert report.service_id == "WaterMeter"
    reading = c.water_reading(report, MODEL, channel_id=1)
    assert (reading.total, reading.valve_open) == (7000, False)
    fault = c.parse_push(dict(DATA_REPORT, payload={"cumulativeFlow": 1, "valveStatus": 3}))
    assert (
        c.valve_state(fault, MODEL) == "fault"
        and c.water_reading(fault, MODEL, channel_id=1).valve_open is None
    )


def test_report_without_flow_gives_no_reading():
    report = c.parse_push(dict(DATA_REPORT, payload={"RSRP": -101}))
    assert c.water_reading(report, MODEL, channel_id=1) is None


def test_transparent_app_data_is_kept_as_bytes():
    push = dict(DATA_REPORT, payload={"APPdata": base64.b64encode(b"\x68\x10\x01").decode()})
    report = c.parse_push(push)
    assert report.app_data == b"\x68\x10\x01"
    with pytest.raises(c.CtwingError, match="vendor frame decoder"):
        c.water_reading(report, MODEL, channel_id=1)


def test_event_online_and_command_response():
    event = c.parse_push(
        {
            "messageType": "eventReport",
            "deviceId": "d1",
            "productId": 1,
            "timestamp": 0,
            "eventType": 3,
            "serviceId": "alarm",
            "eventContent": '{"magneticAttack": 1}',
        }
    )
    assert (
        isinstance(event, c.EventReport)
        and event.severity == "fault"
        and event.content == {"magneticAttack": 1}
    )
    online = c.parse_push(
        {
            "messageType": "deviceOnlineOfflineReport",
            "deviceId": "d1",
            "timestamp": 0,
            "eventType": 0,
        }
    )
    assert online == c.OnlineOfflineReport("d1", "", "", datetime(1970, 1, 1, tzinfo=UTC), False)
    response = c.parse_push(
        {
            "messageType": "commandResponse",
            "deviceId": "d1",
            "timestamp": 0,
            "taskId": 674,
            "result": {"resultCode": "DELIVERED", "resultDetail": None},
        }
    )
    assert (response.task_id, response.result_code) == ("674", "DELIVERED")


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (b"not json", "not JSON"),
        (b"[1]", "not a JSON object"),
        ({"messageType": "dataReport", "timestamp": 0, "payload": {}}, "without deviceId"),
        ({"messageType": "somethingElse", "deviceId": "d"}, "unknown messageType"),
        (
            {"messageType": "dataReport", "deviceId": "d", "timestamp": "soon", "payload": {}},
            "ms since the epoch",
        ),
        (
            {
                "messageType": "dataReport",
                "deviceId": "d",
                "timestamp": 0,
                "payload": {"APPdata": "@@"},
            },
            "base64",
        ),
    ],
)
def test_bad_pushes_are_explained(body, text):
    with pytest.raises(c.CtwingError, match=text):
        c.parse_push(body)


# ------------------------------------------------------------ commands


def sdk_signature(key, application, timestamp, param, body):
    """A transcription of the official SDK's `signature()` (§5.2 [S21]) as reference."""
    code = "application:" + application + "\n" + "timestamp:" + timestamp + "\n"
    for v in param:
        code += str(v[0]) + ":" + str(v[1]) + "\n"
    if (body is not None) and (body.strip()):
        code += body + "\n"
    return base64.b64encode(hmac.new(key.encode(), code.encode(), hashlib.sha1).digest()).decode()


def a_valve_close_request():
    return c.create_command_request(
        app_key="91Ebv1S0HBb",
        app_secret="FJDq8agNp5",
        master_key="25ce00cc28c1498c833276110ee483f0",
        product_id=15000000,
        device_id="d01308047f864601a821e02dc328eab4",
        content=c.command_content(MODEL, Action.VALVE_CLOSE),
        operator="clerk01",
        timestamp_ms=1700000000123,
    )


def test_create_command_request_follows_the_contract():
    request = a_valve_close_request()
    assert request.method == "POST"
    assert (
        request.url
        == "https://ag-api.ctwing.cn/aep_device_command/command?MasterKey=25ce00cc28c1498c833276110ee483f0"
    )
    assert request.headers["version"] == "20190712225145"
    assert request.headers["application"] == "91Ebv1S0HBb"
    assert request.headers["timestamp"] == "1700000000123"
    assert request.headers["MasterKey"] == "25ce00cc28c1498c833276110ee483f0"
    assert json.loads(request.body) == {
        "productId": 15000000,
        "deviceId": "d01308047f864601a821e02dc328eab4",
        "operator": "clerk01",
        "ttl": 7200,
        "level": 1,
        "content": {"serviceIdentifier": "valveControl", "params": {"valveOperate": 2}},
    }
    expected = sdk_signature(
        "FJDq8agNp5",
        "91Ebv1S0HBb",
        "1700000000123",
        sorted([["MasterKey", "25ce00cc28c1498c833276110ee483f0"]]),
        request.body.decode(),
    )
    assert request.headers["signature"] == expected


def test_signature_sorts_params_and_skips_a_blank_body():
    params = {"productId": 9392, "MasterKey": "mk", "deviceId": "a"}
    reference = sdk_signature("s", "app", "1", sorted([[k, v] for k, v in params.items()]), "")
    assert c.sign("s", "app", 1, params, "") == reference
    assert c.sign("s", "app", 1, params, "  ") == reference


def test_platform_double_verifies_the_signature():
    request = a_valve_close_request()
    query = {"MasterKey": "25ce00cc28c1498c833276110ee483f0"}
    assert c.verify_signature(request.headers, request.body, "FJDq8agNp5", query)
    lower = {k.lower(): v for k, v in request.headers.items()}
    assert c.verify_signature(lower, request.body, "FJDq8agNp5")  # MasterKey from the header
    assert not c.verify_signature(request.headers, request.body + b" ", "FJDq8agNp5", query)
    assert not c.verify_signature(request.headers, request.body, "wrong-secret", query)
    assert not c.verify_signature({}, request.body, "FJDq8agNp5", query)


def test_valve_open_content_and_refusals():
    assert c.command_content(MODEL, Action.VALVE_OPEN) == {
        "serviceIdentifier": "valveControl",
        "params": {"valveOperate": 1},
    }
    with pytest.raises(c.CtwingError, match="no command for trip"):
        c.command_content(MODEL, Action.TRIP)
    with pytest.raises(c.CtwingError, match="ttl"):
        c.create_command_request(
            app_key="a",
            app_secret="s",
            master_key="m",
            product_id=1,
            device_id="d",
            content={},
            operator="o",
            timestamp_ms=0,
            ttl_s=900000,
        )


def test_command_reply():
    ok = c.parse_command_reply(
        '{"code":0,"msg":"ok","result":{"commandId":"674","commandStatus":"指令已保存"}}'
    )
    assert ok == c.CommandAccepted("674", "指令已保存")
    with pytest.raises(c.CtwingError, match="code 8011"):
        c.parse_command_reply('{"code":8011,"msg":"device not found"}')
