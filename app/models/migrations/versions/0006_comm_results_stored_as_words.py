"""comm results stored as words: a command's result, a meter's last comm error and a channel's
status keep a catalogue word's code and parameters (JSON) instead of a Chinese sentence

The rows written before hold the sentences of the comm layer's templates; those that one of
them says whole become the word and its parameters (the templates as they were when this
revision was written are copied here: a migration does not follow the code's later
rewordings). A row no template says (a person's reason, a text of an older version) stays
as it is and is shown as it is. The columns grow to 1000 characters for the JSON.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 05:21:55.094541
"""

import json
import re

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# code -> the Chinese sentence the code wrote, with its {parameters}
TEMPLATES = {
    "comm.no_answer": "电表无应答，请检查通讯线路",
    "comm.bad_checksum": "电表有应答，但校验错误（CRC/校验和不对），请检查线路干扰、接地和波特率",
    "comm.wrong_address": "地址 {address} 无应答，只收到地址 {other} 的应答，请检查表地址设置",
    "comm.water_no_answer": "水表无应答，请检查表计信号",
    "comm.channel_down": "通讯通道未连接，请检查串口服务器/网关电源和网线",
    "comm.port_open_failed": "串口打不开，请检查串口号和是否被其他程序占用",
    "comm.device_not_dialled_in": "设备未上线（未注册到本机），请检查表计4G/DTU信号和服务器地址设置",
    "comm.bad_reply": "电表应答报文错误，请检查线路干扰或表地址设置",
    "comm.meter_rejected": "电表拒绝命令（错误码 {code}）",
    "comm.meter_lacks_item": "电表没有该数据项（{item}），请检查表计的规约和型号设置",
    "comm.meter_read_refused": "电表拒绝读取 {item}：{detail}",
    "comm.meter_rejected_protected": "电表处于保电状态，拒绝跳闸；请先解除保电",
    "comm.meter_rejected_password": "电表拒绝命令：密码错误或权限不够（ERR={code}），请检查通道设置中的 DL/T 645 控制密码、权限级别和操作者代码",
    "comm.meter_rejected_why": "电表拒绝命令（ERR={code}）：{why}",
    "comm.verify_failed": "命令已发送，但回读继电器状态不符（期望{expected}，实际{actual}），请现场检查",
    "comm.verify_unreadable": "命令已发送，但无法回读继电器状态，请稍后重新抄表确认",
    "comm.action_not_supported": "该表不支持此操作：{action}",
    "comm.meter_unknown": "通道中没有该表（地址 {address}），请检查表计绑定",
    "comm.channel_unknown": "找不到该通讯通道（编号 {channel_id}）",
    "comm.platform_rejected": "电信平台拒绝命令：{detail}",
    "comm.platform_unreachable": "无法连接电信平台，请检查网络和平台参数：{detail}",
    "comm.water_pending": "命令已提交电信平台，等待水表下次上线执行",
    "comm.water_command_failed": "水表执行命令失败：{detail}",
    "comm.water_command_expired": "水表在命令有效期内未上线，命令已过期，请重新下发",
    "comm.poller_stopped": "通讯服务已停止，命令未执行",
    "comm.sent_again": "通讯服务重启前已发出、未收到结果，重新下发",
    "comm.no_channel": "该表未绑定通讯通道，请在表计设置中选择通道后重试",
    "comm.water_waiting": "已下发到物联网平台，等待水表唤醒后执行",
    "comm.channel_reconfigured": "通讯通道已修改或停用，命令未完成，请抄表确认后重新下发",
    "comm.channel_not_started": "通讯通道未能启动，请检查通道设置：{detail}",
    "comm.internal_error": "内部错误，命令未完成，请查看日志",
    "comm.link_not_registered": "{link}：连接未注册即断开/超时：{detail}",
    "comm.unknown_registration": "{link}：无法识别的注册包 {packet}",
    "comm.unknown_4g_meter": "未配置的4G电表 {serial} 已上线",
    "comm.unknown_dtu": "未配置的DTU {dtu} 已上线",
    "comm.push_bad_token": "拒绝来自 {source} 的电信平台推送：推送地址中的令牌不对或缺失（伪造的推送，或旧的订阅地址）；请把通道设置中显示的推送地址填入 CTWing 订阅",
    "comm.push_no_token": "通道还没有推送令牌，拒绝来自 {source} 的推送；请在设置中打开该通道保存一次，再把显示的推送地址填入 CTWing 订阅",
    "comm.source_refused": "拒绝来自 {source} 的连接：不在通道允许的来源网段中；如是本市场的设备或平台，请在通道设置中加上它的网段",
    "comm.push_unknown_device": "推送中的设备 {device} 不是本通道的水表，已丢弃；如是新装的表，请先在表计中绑定",
    "comm.device_did_not_dial_in": "设备在通讯服务启动后 {seconds} 秒内未上线（未注册到本机），请检查表计4G/DTU信号和服务器地址设置",
    "comm.identity_mismatch": "{link} 以4G电表 {serial} 的表号注册，但 SIM 卡号 {offered} 与登记的 {bound} 不符，已拒绝（可能是冒充的设备）；如确是换了卡，请管理员在表计中接受新身份",
    "comm.takeover_refused": "4G电表 {serial} 已在线（{current}），{link} 又以同一表号注册，已拒绝：在线的连接不让出（可能是冒充的设备）",
    "comm.identity_flapping": "4G电表 {serial} 身份冲突：{minutes} 分钟内有 {count} 次以同一表号抢占连接；请管理员核实后在表计中接受新身份或清除",
    "comm.push_time_ahead": "水表 {device} 上报的时间比本机时钟快 {minutes} 分钟，读数按接收时间保存；请检查平台或表计时钟",
    "comm.bad_reply_detail": "电表应答报文错误，请检查线路干扰或表地址设置: {detail}",
    "comm.channel_down_detail": "通讯通道未连接，请检查串口服务器/网关电源和网线: {detail}",
    "comm.bad_checksum_detail": "电表有应答，但校验错误（CRC/校验和不对），请检查线路干扰、接地和波特率（{detail}）",
    "comm.meter_rejected_protected_code": "电表处于保电状态，拒绝跳闸；请先解除保电（ERR={code}）",
    "comm.meter_rejected_modbus": "电表拒绝命令（错误码 {code}）: {why}",
    "comm.verify_failed_detail": "命令已发送，但回读继电器状态不符（期望{expected}，实际{actual}），请现场检查；{detail}",
    "comm.commands_not_read": "读取待执行命令失败: {detail}",
    "comm.results_not_saved": "保存通讯结果失败: {detail}",
    "comm.push_not_understood": "电信平台推送无法解析: {detail}",
    "comm.water_alarm": "水表告警 ({severity}): {content}",
    "comm.upload_without_crc": "电表应答报文错误，请检查线路干扰或表地址设置: 数据上传的 Modbus 应答没有 CRC，而该表的表型设置要求 CRC（[acrel4g] upload_crc_optional）",
    "comm.dtu_online": "DTU {dtu} 已上线",
    "comm.dtu_offline": "DTU {dtu} 已断开",
    "comm.meters_online": "{online}/{total} 台4G电表在线",
    "comm.push_address": "推送地址 {url}",
    "comm.succeeded": "成功",
    "comm.failed": "失败",

    "comm.retry": "{reason}（第 {attempts} 次未成功，约 {minutes} 分钟后自动重试）",
    "comm.not_prepaid_cancel": "表已不在预付费控制下，撤销分闸",
    "comm.balance_restored_cancel": "可用余额 {available} 元已恢复，撤销分闸",
    "comm.friendly_period_wait": "友好时段内不断电，暂不分闸",
}
# parameters that were themselves words: the word's code by the text the old row holds
STATES = {"合闸": "comm.state_closed", "分闸": "comm.state_tripped", "开阀": "comm.state_valve_open",
          "关阀": "comm.state_valve_closed", "未知": "comm.state_unknown", "保电": "comm.action_forced_on",
          "强制分闸": "comm.action_forced_off", "恢复预付费": "comm.action_restore_prepaid",
          "立即抄表": "comm.action_read_now"}
ACTIONS = {"分闸": "comm.action_trip", "合闸": "comm.action_close", "保电": "comm.action_forced_on",
           "强制分闸": "comm.action_forced_off", "恢复预付费": "comm.action_restore_prepaid",
           "开阀": "comm.action_valve_open", "关阀": "comm.action_valve_close", "立即抄表": "comm.action_read_now",
           "trip": "comm.action_trip", "close": "comm.action_close", "forced_on": "comm.action_forced_on",
           "forced_off": "comm.action_forced_off", "restore_prepaid": "comm.action_restore_prepaid",
           "valve_open": "comm.action_valve_open", "valve_close": "comm.action_valve_close",
           "read_now": "comm.action_read_now"}
REASONS = {  # a meter's refusal (DL/T 645 ERR bits, Modbus exceptions), Chinese and English
    "其他错误": "comm.term.other_error", "other error": "comm.term.other_error",
    "无请求数据（电表没有该数据标识）": "comm.term.no_requested_data", "no requested data (the meter does not have this data identifier)": "comm.term.no_requested_data",
    "密码错误或未授权": "comm.term.wrong_password_or_not_authorised", "wrong password or not authorised": "comm.term.wrong_password_or_not_authorised",
    "通信速率不能更改": "comm.term.baud_rate_cannot_be_changed", "baud rate cannot be changed": "comm.term.baud_rate_cannot_be_changed",
    "年时区数超": "comm.term.year_time_zone_count_exceeded", "year time-zone count exceeded": "comm.term.year_time_zone_count_exceeded",
    "日时段数超": "comm.term.day_time_period_count_exceeded", "day time-period count exceeded": "comm.term.day_time_period_count_exceeded",
    "费率数超": "comm.term.tariff_count_exceeded", "tariff count exceeded": "comm.term.tariff_count_exceeded",
    "保留位被置位": "comm.term.reserved_bit_set", "reserved bit set": "comm.term.reserved_bit_set",
    "非法数据": "comm.term.illegal_data", "illegal data": "comm.term.illegal_data",
    "数据标识错": "comm.term.wrong_data_identifier", "wrong data identifier": "comm.term.wrong_data_identifier",
    "密码错": "comm.term.wrong_password", "wrong password": "comm.term.wrong_password",
    "未给出原因（ERR = 00）": "comm.term.no_reason_given", "no reason given (ERR = 00)": "comm.term.no_reason_given",
    "非法功能：电表不支持该功能码": "comm.term.illegal_function_the_meter_does_not", "illegal function: the meter does not support this function code": "comm.term.illegal_function_the_meter_does_not",
    "非法数据地址：电表没有该寄存器（表型或固件不对？）": "comm.term.illegal_data_address_the_register_is", "illegal data address: the register is not in this meter's map (wrong profile or firmware?)": "comm.term.illegal_data_address_the_register_is",
    "非法数据值：电表拒绝了请求中的数值或数量": "comm.term.illegal_data_value_the_meter_refused", "illegal data value: the meter refused a value or quantity in the request": "comm.term.illegal_data_value_the_meter_refused",
    "从站设备故障：电表执行请求时出错": "comm.term.slave_device_failure_the_meter_failed", "slave device failure: the meter failed while executing the request": "comm.term.slave_device_failure_the_meter_failed",
    "确认：电表已接受耗时请求，仍在处理": "comm.term.acknowledge_the_meter_accepted_a_long", "acknowledge: the meter accepted a long request and is still working on it": "comm.term.acknowledge_the_meter_accepted_a_long",
    "从站设备忙：请稍后再试": "comm.term.slave_device_busy_try_again_later", "slave device busy: try again later": "comm.term.slave_device_busy_try_again_later",
    "电表存储奇偶校验错误": "comm.term.memory_parity_error_in_the_meter", "memory parity error in the meter": "comm.term.memory_parity_error_in_the_meter",
    "网关路径不可用：网关没有到该从站的路由": "comm.term.gateway_path_unavailable_the_gateway_has", "gateway path unavailable: the gateway has no route to this slave": "comm.term.gateway_path_unavailable_the_gateway_has",
    "网关目标设备无应答：网关后面的电表不回应": "comm.term.gateway_target_device_failed_to_respond", "gateway target device failed to respond: the meter behind the gateway is silent": "comm.term.gateway_target_device_failed_to_respond",
}
NESTED = {"expected": STATES, "actual": STATES, "action": ACTIONS, "why": REASONS}
# the words only said inside others, for the way back (downgrade)
SAID_INSIDE = {"comm.joined": "{first}；{rest}", "comm.relay_is_not": "继电器为{actual}，应为{expected}",
               "comm.close_needs_button": "1B 合闸允许：部分电表需用户按键后才合闸",
               **{code: text for text, code in STATES.items()},
               **{code: text for text, code in ACTIONS.items() if not text.isascii()},
               **{code: text for text, code in REASONS.items() if not text.isascii()}}
COLUMNS = (("meter_command", "result"), ("meter", "comm_error"), ("channel", "status_detail"))
AUDITED = ("command.failed", "command.retry", "control.cancel")  # their detail's reason is a command result


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)), re.S)


PATTERNS = [(code, _pattern(text)) for code, text in sorted(TEMPLATES.items(), key=lambda item: -len(item[1]))]


def _word(text: str) -> dict | None:
    for code, pattern in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return {"code": code, "params": {k: _param(k, v) for k, v in found.groupdict().items()}}
    return None


def _param(name: str, value: str):
    if name == "reason":  # a retry's reason is a result of its own
        word = _word(value)
        return {"said": word} if word else value
    if name == "why" and "；" in value:
        first, rest = value.split("；", 1)
        return {"said": {"code": "comm.joined", "params": {"first": _param("why", first), "rest": _param("why", rest)}}}
    code = NESTED.get(name, {}).get(value)
    return {"said": {"code": code, "params": {}}} if code else value


def _stored(text: str) -> str:
    word = _word(text) if text else None
    return json.dumps(word, ensure_ascii=False, separators=(",", ":")) if word else text


def _said(data: dict) -> str:
    template = TEMPLATES.get(data.get("code")) or SAID_INSIDE.get(data.get("code"))
    params = {k: _said(v["said"]) if isinstance(v, dict) and "said" in v else v for k, v in data.get("params", {}).items()}
    return template.format(**params) if template else ""


def _sentence(text: str) -> str:
    if not text.startswith("{"):
        return text
    try:
        return _said(json.loads(text))[:200] or text[:200]
    except (ValueError, KeyError, AttributeError):
        return text[:200]


def _convert(change) -> None:
    conn = op.get_bind()
    for table, column in COLUMNS:
        t = sa.table(table, sa.column("id", sa.Integer), sa.column(column, sa.String))
        for row_id, text in conn.execute(sa.select(t.c.id, t.c[column]).where(t.c[column] != "")).all():
            new = change(text)
            if new != text:
                conn.execute(sa.update(t).where(t.c.id == row_id).values({column: new}))
    events = sa.table("audit_event", sa.column("id", sa.Integer), sa.column("action", sa.String),
                      sa.column("detail", sa.JSON))
    for row_id, detail in conn.execute(sa.select(events.c.id, events.c.detail)
                                       .where(events.c.action.in_(AUDITED))).all():
        reason = (detail or {}).get("reason")
        if isinstance(reason, str) and change(reason) != reason:
            conn.execute(sa.update(events).where(events.c.id == row_id)
                         .values(detail={**detail, "reason": change(reason)}))


def upgrade() -> None:
    with op.batch_alter_table('channel', schema=None) as batch_op:
        batch_op.alter_column('status_detail',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.String(length=1000),
               existing_nullable=False)

    with op.batch_alter_table('meter', schema=None) as batch_op:
        batch_op.alter_column('comm_error',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.String(length=1000),
               existing_nullable=False)

    with op.batch_alter_table('meter_command', schema=None) as batch_op:
        batch_op.alter_column('result',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.String(length=1000),
               existing_nullable=False)
    _convert(_stored)


def downgrade() -> None:
    _convert(_sentence)
    with op.batch_alter_table('meter_command', schema=None) as batch_op:
        batch_op.alter_column('result',
               existing_type=sa.String(length=1000),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)

    with op.batch_alter_table('meter', schema=None) as batch_op:
        batch_op.alter_column('comm_error',
               existing_type=sa.String(length=1000),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)

    with op.batch_alter_table('channel', schema=None) as batch_op:
        batch_op.alter_column('status_detail',
               existing_type=sa.String(length=1000),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)

