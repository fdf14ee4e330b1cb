"""Words a clerk reads when a meter or a line fails (命令失败原因 / 通讯故障).

All in one place so the wording stays consistent. They are stored as written (Chinese);
`english()` gives a client running in English the same words in English.
"""

import re
from functools import lru_cache

from app.comm.wording import TERMS

NO_ANSWER = "电表无应答，请检查通讯线路"
BAD_CHECKSUM = "电表有应答，但校验错误（CRC/校验和不对），请检查线路干扰、接地和波特率"
WRONG_ADDRESS = "地址 {address} 无应答，只收到地址 {other} 的应答，请检查表地址设置"
WATER_NO_ANSWER = "水表无应答，请检查表计信号"
CHANNEL_DOWN = "通讯通道未连接，请检查串口服务器/网关电源和网线"
PORT_OPEN_FAILED = "串口打不开，请检查串口号和是否被其他程序占用"
DEVICE_NOT_DIALLED_IN = "设备未上线（未注册到本机），请检查表计4G/DTU信号和服务器地址设置"
BAD_REPLY = "电表应答报文错误，请检查线路干扰或表地址设置"
METER_REJECTED = "电表拒绝命令（错误码 {code}）"
METER_LACKS_ITEM = "电表没有该数据项（{item}），请检查表计的规约和型号设置"
METER_READ_REFUSED = "电表拒绝读取 {item}：{detail}"
METER_REJECTED_PROTECTED = "电表处于保电状态，拒绝跳闸；请先解除保电"
METER_REJECTED_PASSWORD = "电表拒绝命令：密码错误或权限不够（ERR={code}），请检查通道设置中的 DL/T 645 控制密码、权限级别和操作者代码"
METER_REJECTED_WHY = "电表拒绝命令（ERR={code}）：{why}"
VERIFY_FAILED = "命令已发送，但回读继电器状态不符（期望{expected}，实际{actual}），请现场检查"
VERIFY_UNREADABLE = "命令已发送，但无法回读继电器状态，请稍后重新抄表确认"
ACTION_NOT_SUPPORTED = "该表不支持此操作：{action}"
METER_UNKNOWN = "通道中没有该表（地址 {address}），请检查表计绑定"
CHANNEL_UNKNOWN = "找不到该通讯通道（编号 {channel_id}）"
PLATFORM_REJECTED = "电信平台拒绝命令：{detail}"
PLATFORM_UNREACHABLE = "无法连接电信平台，请检查网络和平台参数：{detail}"
WATER_PENDING = "命令已提交电信平台，等待水表下次上线执行"
WATER_COMMAND_FAILED = "水表执行命令失败：{detail}"
WATER_COMMAND_EXPIRED = "水表在命令有效期内未上线，命令已过期，请重新下发"
POLLER_STOPPED = "通讯服务已停止，命令未执行"
SENT_AGAIN = "通讯服务重启前已发出、未收到结果，重新下发"
NO_CHANNEL = "该表未绑定通讯通道，请在表计设置中选择通道后重试"
WATER_WAITING = "已下发到物联网平台，等待水表唤醒后执行"
CHANNEL_RECONFIGURED = "通讯通道已修改或停用，命令未完成，请抄表确认后重新下发"
CHANNEL_NOT_STARTED = "通讯通道未能启动，请检查通道设置：{detail}"
INTERNAL_ERROR = "内部错误，命令未完成，请查看日志"
LINK_NOT_REGISTERED = "{link}：连接未注册即断开/超时：{detail}"
UNKNOWN_REGISTRATION = "{link}：无法识别的注册包 {packet}"
UNKNOWN_4G_METER = "未配置的4G电表 {serial} 已上线"
UNKNOWN_DTU = "未配置的DTU {dtu} 已上线"
# someone on the network posing as the platform or a meter: refused, and said here (告警)
PUSH_BAD_TOKEN = "拒绝来自 {source} 的电信平台推送：推送地址中的令牌不对或缺失（伪造的推送，或旧的订阅地址）；请把通道设置中显示的推送地址填入 CTWing 订阅"
PUSH_NO_TOKEN = "通道还没有推送令牌，拒绝来自 {source} 的推送；请在设置中打开该通道保存一次，再把显示的推送地址填入 CTWing 订阅"
SOURCE_REFUSED = "拒绝来自 {source} 的连接：不在通道允许的来源网段中；如是本市场的设备或平台，请在通道设置中加上它的网段"
PUSH_UNKNOWN_DEVICE = "推送中的设备 {device} 不是本通道的水表，已丢弃；如是新装的表，请先在表计中绑定"
DEVICE_DID_NOT_DIAL_IN = "设备在通讯服务启动后 {seconds} 秒内未上线（未注册到本机），请检查表计4G/DTU信号和服务器地址设置"
IDENTITY_MISMATCH = "{link} 以4G电表 {serial} 的表号注册，但 SIM 卡号 {offered} 与登记的 {bound} 不符，已拒绝（可能是冒充的设备）；如确是换了卡，请管理员在表计中接受新身份"
TAKEOVER_REFUSED = "4G电表 {serial} 已在线（{current}），{link} 又以同一表号注册，已拒绝：在线的连接不让出（可能是冒充的设备）"
IDENTITY_FLAPPING = "4G电表 {serial} 身份冲突：{minutes} 分钟内有 {count} 次以同一表号抢占连接；请管理员核实后在表计中接受新身份或清除"
PUSH_TIME_AHEAD = "水表 {device} 上报的时间比本机时钟快 {minutes} 分钟，读数按接收时间保存；请检查平台或表计时钟"

RELAY_WORDS = {True: "合闸", False: "分闸", None: "未知"}
VALVE_WORDS = {True: "开阀", False: "关阀", None: "未知"}
ACTION_WORDS = {
    "trip": "分闸", "close": "合闸", "forced_on": "保电", "forced_off": "强制分闸",
    "restore_prepaid": "恢复预付费", "valve_open": "开阀", "valve_close": "关阀", "read_now": "立即抄表",
}

ENGLISH = {
    NO_ANSWER: "The meter does not answer. Check the line",
    BAD_CHECKSUM: "The meter answers, but its replies fail the checksum (CRC). Check the line for interference, the earthing and the baud rate",
    WRONG_ADDRESS: "Address {address} does not answer; only address {other} answered. Check the meter address setting",
    WATER_NO_ANSWER: "The water meter does not answer. Check its signal",
    CHANNEL_DOWN: "The line is not connected. Check the power and network cable of the serial server / gateway",
    PORT_OPEN_FAILED: "The serial port cannot be opened. Check the port name and that no other program uses it",
    DEVICE_NOT_DIALLED_IN: "The device has not dialled in. Check the 4G / DTU signal and its server address setting",
    BAD_REPLY: "The meter's reply is garbled. Check the line for interference and the meter address",
    METER_REJECTED: "The meter refused the command (error code {code})",
    METER_LACKS_ITEM: "The meter does not have this data item ({item}). Check the meter's protocol and model settings",
    METER_READ_REFUSED: "The meter refused to read {item}: {detail}",
    METER_REJECTED_PROTECTED: "The meter is forced on and refuses to trip. Restore prepaid first",
    METER_REJECTED_PASSWORD: "The meter refused the command: wrong password or too low a level (ERR={code}). Check the DL/T 645 control password, level and operator code in the channel settings",
    METER_REJECTED_WHY: "The meter refused the command (ERR={code}): {why}",
    VERIFY_FAILED: "Command sent, but the relay reads back wrong (expected {expected}, found {actual}). Check on site",
    VERIFY_UNREADABLE: "Command sent, but the relay state cannot be read back. Read the meter again later to confirm",
    ACTION_NOT_SUPPORTED: "This meter cannot do this: {action}",
    METER_UNKNOWN: "The line has no meter at address {address}. Check the meter binding",
    CHANNEL_UNKNOWN: "The comm channel cannot be found (No. {channel_id})",
    PLATFORM_REJECTED: "The China Telecom platform refused the command: {detail}",
    PLATFORM_UNREACHABLE: "The China Telecom platform cannot be reached. Check the network and the platform settings: {detail}",
    WATER_PENDING: "Command handed to the China Telecom platform; the water meter runs it when it next comes online",
    WATER_COMMAND_FAILED: "The water meter could not run the command: {detail}",
    WATER_COMMAND_EXPIRED: "The water meter did not come online in time and the command expired. Send it again",
    POLLER_STOPPED: "The comm service stopped; the command was not run",
    SENT_AGAIN: "Sent before the comm service restarted and no result came back; sent again",
    NO_CHANNEL: "The meter has no comm channel. Choose one in the meter's settings and try again",
    WATER_WAITING: "Handed to the IoT platform; the water meter runs it when it wakes up",
    CHANNEL_RECONFIGURED: "The comm channel was changed or disabled before the command finished. Read the meter to check, then send it again",
    CHANNEL_NOT_STARTED: "The comm channel could not start. Check its settings: {detail}",
    INTERNAL_ERROR: "Internal error: the command did not finish. See the log",
    LINK_NOT_REGISTERED: "{link}: the connection closed or timed out before registering: {detail}",
    UNKNOWN_REGISTRATION: "{link}: registration packet not recognised {packet}",
    UNKNOWN_4G_METER: "4G meter {serial}, which is not set up, dialled in",
    UNKNOWN_DTU: "DTU {dtu}, which is not set up, dialled in",
    PUSH_BAD_TOKEN: "Refused a CTWing push from {source}: the token in the push address is wrong or missing (a forged "
                    "push, or an old subscription address). Enter the push address shown in the channel settings "
                    "in the CTWing subscription",
    PUSH_NO_TOKEN: "The channel has no push token yet, so the push from {source} was refused. Open the channel in "
                   "Settings, save it once, then enter the push address shown there in the CTWing subscription",
    SOURCE_REFUSED: "Refused a connection from {source}: it is not in the source networks the channel allows. If it "
                    "is this market's device or platform, add its network in the channel settings",
    PUSH_UNKNOWN_DEVICE: "A push for device {device}, which is not a water meter of this channel, was dropped. If the "
                         "meter is new, bind it in Meters first",
    DEVICE_DID_NOT_DIAL_IN: "The device did not dial in within {seconds} s of the comm service starting. Check the "
                            "4G / DTU signal and its server address setting",
    IDENTITY_MISMATCH: "{link} registered as 4G meter {serial}, but its SIM {offered} is not the registered {bound}: "
                       "refused (possibly a device posing as the meter). If the SIM was changed, an administrator "
                       "accepts the new identity in Meters",
    TAKEOVER_REFUSED: "4G meter {serial} is online ({current}); {link} registered with the same serial and was refused: "
                      "a live connection is not handed over (possibly a device posing as the meter)",
    IDENTITY_FLAPPING: "4G meter {serial}: identity conflict, {count} attempts to take over its connection within "
                       "{minutes} minutes. An administrator checks it, then accepts the new identity or clears it in Meters",
    PUSH_TIME_AHEAD: "Water meter {device} reported a time {minutes} minutes ahead of this PC's clock; the reading is "
                     "stored with the time it was received. Check the platform's or the meter's clock",
}
_STATES_EN = {"合闸": "power on", "分闸": "tripped", "开阀": "valve open", "关阀": "valve closed", "未知": "unknown"}
_WORDS_EN = {  # the English of a field's words, by field
    "action": {"分闸": "trip", "合闸": "close", "保电": "forced on", "强制分闸": "forced off",
               "恢复预付费": "restore prepaid", "开阀": "open valve", "关阀": "close valve", "立即抄表": "read now"},
    "expected": _STATES_EN,
    "why": {zh: en for en, zh in TERMS.items()},  # the ERR bits of a DL/T 645 refusal
    "actual": _STATES_EN,
}


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    last = len(parts) - 2  # a field at the very end takes the rest of the text
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+{'' if i == last and not parts[-1] else '?'})"
                              for i, p in enumerate(parts)))


_PATTERNS = [(_pattern(zh), en) for zh, en in sorted(ENGLISH.items(), key=lambda item: -len(item[0]))]


@lru_cache(maxsize=1024)  # a table asks for the same few messages again and again
def english(text: str) -> str:
    """A stored comm message in English; parts it does not know stay as they are."""
    for pattern, en in _PATTERNS:
        text = pattern.sub(lambda m, en=en: en.format(**{k: _WORDS_EN.get(k, {}).get(v, v) for k, v in m.groupdict().items()}), text)
    return text
