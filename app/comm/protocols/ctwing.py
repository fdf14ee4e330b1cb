"""China Telecom CTWing (AEP) contract for NB-IoT water meters, PROTOCOLS.md §5.

Pure functions only: the HTTP listener for pushes and the HTTP client for commands live in
the transports. This module

- parses push messages (dataReport, eventReport, deviceOnlineOfflineReport,
  commandResponse) into dataclasses, and a dataReport into a MeterReading through the
  water thing model in resources/profiles/nb_water_ctwing.toml;
- builds the CreateCommand request (URL, headers, body) with the HMAC-SHA1 signature of the
  official SDK, and verifies such a signature (for the platform double in tests/simulator).

Signature (§5.2, SDK `AepSdkRequestSend.signature`)::

    "application:" + appKey + "\\n" + "timestamp:" + ts + "\\n"
    + for (k, v) in sorted(query params + [("MasterKey", masterKey)]): k + ":" + v + "\\n"
    + (body + "\\n" if body is not blank)
    signature = base64(HMAC-SHA1(key = appSecret, message))
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from app.comm.profiles import load_profile_data
from app.comm.protocols.common import ProtocolError
from app.comm.types import Action, MeterKind, MeterReading

BASE_URL = "https://ag-api.ctwing.cn"
COMMAND_PATH = "/aep_device_command/command"
COMMAND_VERSION = "20190712225145"  # CreateCommand API version (§5.2)
DEFAULT_TTL_S = 7200  # platform default: the command waits this long for a sleeping meter


class CtwingError(ProtocolError):
    """A push or reply that does not follow the CTWing contract."""


# --------------------------------------------------------------------------- thing model


@dataclass(frozen=True, slots=True)
class WaterModel:
    """Property names and command contents of one water-meter product (TOML profile)."""

    name: str
    properties: Mapping[str, tuple[str, ...]]
    valve_states: Mapping[str, int]
    commands: Mapping[Action, Mapping[str, Any]]

    def find(self, values: Mapping[str, Any], key: str) -> Any:
        for name in self.properties.get(key, ()):
            if name in values:
                return values[name]
        return None


def load_water_model(name: str = "nb_water_ctwing") -> WaterModel:
    data = load_profile_data(name)
    properties = {
        key: (value,) if isinstance(value, str) else tuple(value)
        for key, value in data.get("properties", {}).items()
    }
    commands = {}
    for key, spec in data.get("commands", {}).items():
        commands[Action(key)] = {
            "serviceIdentifier": spec["service_identifier"],
            "params": dict(spec["params"]),
        }
    return WaterModel(name, properties, dict(data.get("valve_states", {})), commands)


# --------------------------------------------------------------------------- pushes


@dataclass(frozen=True, slots=True)
class DataReport:
    device_id: str
    product_id: str
    imei: str
    timestamp: datetime
    properties: Mapping[str, Any] = field(default_factory=dict)
    service_id: str = ""
    app_data: bytes | None = None  # transparent products: the vendor's binary frame


@dataclass(frozen=True, slots=True)
class EventReport:
    device_id: str
    product_id: str
    imei: str
    timestamp: datetime
    event_type: int  # 1 info, 2 warning, 3 fault
    content: Mapping[str, Any]
    service_id: str = ""

    @property
    def severity(self) -> str:
        return {1: "info", 2: "warning", 3: "fault"}.get(self.event_type, f"type {self.event_type}")


@dataclass(frozen=True, slots=True)
class OnlineOfflineReport:
    device_id: str
    product_id: str
    imei: str
    timestamp: datetime
    online: bool


@dataclass(frozen=True, slots=True)
class CommandResponse:
    device_id: str
    product_id: str
    imei: str
    timestamp: datetime
    task_id: str  # = the commandId CreateCommand returned
    result_code: str  # e.g. SENT, DELIVERED, COMPLETED, FAILED, TIMEOUT
    result_detail: Any = None


PushMessage = DataReport | EventReport | OnlineOfflineReport | CommandResponse
PUSH_TYPES = ("dataReport", "eventReport", "deviceOnlineOfflineReport", "commandResponse")


def parse_push(body: bytes | str | Mapping[str, Any]) -> PushMessage:
    """One HTTP push body → message; CtwingError for what is not a known push."""
    message = _json_object(body, "push")
    kind = message.get("messageType")
    if kind not in PUSH_TYPES:
        raise CtwingError(f"unknown messageType {kind!r}")
    device_id = str(message.get("deviceId") or "")
    if not device_id:
        raise CtwingError(f"{kind or 'push'} without deviceId")
    common = {
        "device_id": device_id,
        "product_id": str(message.get("productId") or ""),
        "imei": str(message.get("IMEI") or message.get("imei") or ""),
        "timestamp": _timestamp(message.get("timestamp")),
    }
    if kind == "eventReport":
        content = message.get("eventContent", message.get("payload", {}))
        content = (
            _json_object(content, "eventContent")
            if isinstance(content, (str, bytes))
            else dict(content or {})
        )
        return EventReport(
            **common,
            event_type=_int(message.get("eventType"), "eventType"),
            content=content,
            service_id=str(message.get("serviceId") or ""),
        )
    if kind == "deviceOnlineOfflineReport":
        return OnlineOfflineReport(
            **common, online=_int(message.get("eventType"), "eventType") == 1
        )
    if kind == "commandResponse":
        result = message.get("result") or {}
        if not isinstance(result, Mapping):
            raise CtwingError("commandResponse result is not an object")
        return CommandResponse(
            **common,
            task_id=str(message.get("taskId") or ""),
            result_code=str(result.get("resultCode") or ""),
            result_detail=result.get("resultDetail"),
        )
    return _data_report(message, common)  # the remaining type: dataReport


def _data_report(message: Mapping[str, Any], common: dict[str, Any]) -> DataReport:
    payload = message.get("payload")
    if not isinstance(payload, Mapping):
        raise CtwingError("dataReport without a payload object")
    service_id = str(message.get("serviceId") or "")
    if "APPdata" in payload:  # transparent product: base64 of the vendor frame (§5.1)
        try:
            raw = base64.b64decode(payload["APPdata"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise CtwingError("APPdata is not valid base64") from None
        return DataReport(**common, service_id=service_id, app_data=raw)
    if "serviceData" in payload:  # LwM2M-profile product (§5.1)
        data = payload["serviceData"]
        if not isinstance(data, Mapping):
            raise CtwingError("serviceData is not an object")
        return DataReport(
            **common, properties=dict(data), service_id=str(payload.get("serviceId") or service_id)
        )
    return DataReport(**common, properties=dict(payload), service_id=service_id)


def _json_object(body: bytes | str | Mapping[str, Any], what: str) -> dict[str, Any]:
    if isinstance(body, Mapping):
        return dict(body)
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CtwingError(f"{what} is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise CtwingError(f"{what} is not a JSON object")
    return value


def _timestamp(value: Any) -> datetime:
    """CTWing timestamps are ms since the epoch (§5.1)."""
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise CtwingError(f"timestamp {value!r} is not ms since the epoch") from None


def _int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CtwingError(f"{what} {value!r} is not a number") from None


def _decimal(value: Any, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise CtwingError(f"{what} {value!r} is not a number") from None


def valve_state(report: DataReport, model: WaterModel) -> str | None:
    """ "open" / "closed" / "fault", or None when the report has no valve status."""
    value = model.find(report.properties, "valve_status")
    if value is None:
        return None
    code = _int(value, "valve status")
    for state, state_code in model.valve_states.items():
        if state_code == code:
            return state
    raise CtwingError(f"valve status {code} is not one of {dict(model.valve_states)}")


def water_reading(report: DataReport, model: WaterModel, *, channel_id: int) -> MeterReading | None:
    """A MeterReading (total in litres) from a dataReport; None when the report carries no
    cumulative flow (e.g. only a valve or signal report). Address = platform deviceId."""
    if report.app_data is not None:
        raise CtwingError("transparent APPdata payload: the vendor frame decoder is not configured")
    flow = model.find(report.properties, "cumulative_flow_m3")
    if flow is None:
        return None
    litres = _decimal(flow, "cumulative flow") * 1000
    if litres < 0:
        raise CtwingError(f"cumulative flow {flow} m³ is negative")
    state = valve_state(report, model)
    battery = model.find(report.properties, "battery_v")
    signal = model.find(report.properties, "signal_dbm")
    return MeterReading(
        channel_id=channel_id,
        address=report.device_id,
        kind=MeterKind.WATER,
        read_at=report.timestamp,
        total=int(litres.to_integral_value()),
        valve_open=None if state in (None, "fault") else state == "open",
        battery_v=None if battery is None else float(_decimal(battery, "battery voltage")),
        signal_dbm=None if signal is None else float(_decimal(signal, "RSRP")),
        source="upload",
    )


# --------------------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


def sign(
    app_secret: str,
    app_key: str,
    timestamp_ms: int | str,
    params: Mapping[str, Any],
    body: str = "",
) -> str:
    """The `signature` header (§5.2). params = query parameters including MasterKey."""
    message = f"application:{app_key}\ntimestamp:{timestamp_ms}\n"
    for key, value in sorted((str(k), str(v)) for k, v in params.items()):
        message += f"{key}:{value}\n"
    if body and body.strip():
        message += body + "\n"
    digest = hmac.new(app_secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def command_content(model: WaterModel, action: Action) -> dict[str, Any]:
    """`{"serviceIdentifier": …, "params": {…}}` for valve_open / valve_close."""
    try:
        return json.loads(json.dumps(model.commands[Action(action)]))
    except KeyError:
        raise CtwingError(f"water model {model.name} has no command for {action}") from None


def create_command_request(
    *,
    app_key: str,
    app_secret: str,
    master_key: str,
    product_id: int | str,
    device_id: str,
    content: Mapping[str, Any],
    operator: str,
    timestamp_ms: int,
    ttl_s: int = DEFAULT_TTL_S,
    level: int = 1,
    base_url: str = BASE_URL,
) -> HttpRequest:
    """The CreateCommand POST (§5.2), signed. timestamp_ms: the platform's clock (local ms +
    offset from GET /echo's x-ag-timestamp); the caller supplies it to keep this pure.
    MasterKey goes both in the header and in the query, as the official SDK does."""
    if not 0 <= ttl_s <= 864000:
        raise CtwingError(f"ttl {ttl_s} s is not 0..864000")
    if level not in (1, 2):
        raise CtwingError(f"level {level}: commands to one device use level 1 or 2")
    if not str(product_id).isdigit():
        raise CtwingError(f"productId {product_id!r} is not a number")
    body_obj = {
        "productId": int(product_id),
        "deviceId": device_id,
        "operator": operator,
        "ttl": ttl_s,
        "level": level,
        "content": dict(content),
    }
    body = json.dumps(body_obj, ensure_ascii=False, separators=(",", ":"))
    query = {"MasterKey": master_key}
    headers = {
        "application": app_key,
        "timestamp": str(timestamp_ms),
        "signature": sign(app_secret, app_key, timestamp_ms, query, body),
        "version": COMMAND_VERSION,
        "MasterKey": master_key,
        "Content-Type": "application/json; charset=UTF-8",
    }
    return HttpRequest(
        "POST", f"{base_url}{COMMAND_PATH}?{urlencode(query)}", headers, body.encode("utf-8")
    )


def verify_signature(
    headers: Mapping[str, str],
    body: bytes | str,
    app_secret: str,
    query: Mapping[str, str] | None = None,
) -> bool:
    """Platform side: does the request's `signature` header match? Header names are
    case-insensitive; MasterKey is taken from the query, else from its header."""
    lower = {k.lower(): v for k, v in headers.items()}
    params = dict(query or {})
    if "MasterKey" not in params and "masterkey" in lower:
        params["MasterKey"] = lower["masterkey"]
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    try:
        want = sign(app_secret, lower["application"], lower["timestamp"], params, text)
    except KeyError:
        return False
    return hmac.compare_digest(want, lower.get("signature", ""))


@dataclass(frozen=True, slots=True)
class CommandAccepted:
    command_id: str
    status: str


def parse_command_reply(body: bytes | str) -> CommandAccepted:
    """CreateCommand reply `{"code":0,"msg":"ok","result":{"commandId":…,"commandStatus":…}}`."""
    reply = _json_object(body, "command reply")
    if reply.get("code") != 0:
        raise CtwingError(
            f"CTWing refused the command: code {reply.get('code')} {reply.get('msg', '')}".rstrip()
        )
    result = reply.get("result") or {}
    return CommandAccepted(
        str(result.get("commandId") or ""), str(result.get("commandStatus") or "")
    )
