"""The language of decoded frame meanings (报文含义), as the comm monitor shows them.

Codecs describe frames in English unless told otherwise (the `comm decode` command, logs,
codec tests); the desktop client running in Chinese calls `set_language("zh_CN")` once at
start. A plain module flag: a meaning is still made only when a frame is looked at, and
costs one attribute read more. The comm layer stays without Qt.
"""

chinese = False


def set_language(lang: str) -> None:
    global chinese
    chinese = lang.startswith("zh")


def say(english: str, chinese_text: str) -> str:
    """A note written in both languages (a few per frame at most), in the meanings' language."""
    return chinese_text if chinese else english


def term(english: str) -> str:
    """One word of a codec's vocabulary (function, data item, error bit) in the meanings' language."""
    return TERMS.get(english, english) if chinese else english


def on_off(value: bool) -> str:
    if chinese:
        return "开" if value else "关"
    return "on" if value else "off"


TERMS = {
    # DL/T 645 functions (C byte)
    "security authentication": "安全认证", "broadcast time": "广播校时", "read data": "读数据",
    "read follow-up data": "读后续数据", "reread data": "重读数据", "read address": "读通信地址",
    "write data": "写数据", "write address": "写通信地址", "freeze": "冻结命令", "change baud rate": "更改通信速率",
    "change password": "修改密码", "clear max demand": "最大需量清零", "clear meter": "电表清零",
    "clear events": "事件清零", "relay control": "跳合闸、报警、保电控制",
    "multi-function terminal output": "多功能端子输出控制", "unknown function": "未知功能",
    # DL/T 645 ERR bits
    "other error": "其他错误", "no requested data (the meter does not have this data identifier)": "无请求数据（电表没有该数据标识）",
    "wrong password or not authorised": "密码错误或未授权", "baud rate cannot be changed": "通信速率不能更改",
    "year time-zone count exceeded": "年时区数超", "day time-period count exceeded": "日时段数超",
    "tariff count exceeded": "费率数超", "reserved bit set": "保留位被置位", "illegal data": "非法数据",
    "wrong data identifier": "数据标识错", "wrong password": "密码错", "no reason given (ERR = 00)": "未给出原因（ERR = 00）",
    # DL/T 645 relay control codes
    "trip (跳闸)": "跳闸", "close allowed (合闸允许: the relay closes when the user presses the button or the meter allows)":
        "合闸允许（用户按键或电表允许时合闸）", "direct close (直接合闸)": "直接合闸",
    "trip with automatic restore (vendor extension)": "跳闸自动恢复（厂家扩展）", "alarm (报警)": "报警",
    "alarm release (报警解除)": "报警解除", "保电 on (trip commands are rejected)": "保电（拒绝跳闸命令）",
    "保电 release (保电解除)": "保电解除",
    # DL/T 645 data items
    "combined active total energy": "组合有功总电能", "forward active total energy": "正向有功总电能",
    "forward active energy tariff 1 (尖)": "正向有功费率1（尖）电能", "forward active energy tariff 2 (峰)": "正向有功费率2（峰）电能",
    "forward active energy tariff 3 (平)": "正向有功费率3（平）电能", "forward active energy tariff 4 (谷)": "正向有功费率4（谷）电能",
    "forward active energy block (total, tariffs)": "正向有功电能数据块（总、各费率）",
    "reverse active total energy": "反向有功总电能", "voltage A": "A相电压", "voltage B": "B相电压", "voltage C": "C相电压",
    "voltage block A/B/C": "电压数据块 A/B/C", "current A": "A相电流", "current B": "B相电流", "current C": "C相电流",
    "current block A/B/C": "电流数据块 A/B/C", "active power total": "总有功功率", "active power A": "A相有功功率",
    "active power B": "B相有功功率", "active power C": "C相有功功率",
    "active power block total/A/B/C": "有功功率数据块 总/A/B/C", "reactive power total": "总无功功率",
    "apparent power total": "总视在功率", "power factor total": "总功率因数", "grid frequency": "电网频率",
    "date and weekday": "日期及星期", "time": "时间", "communication address": "通信地址", "meter number": "表号",
    "status word 1": "状态字1", "status word 2": "状态字2", "status word 3 (operation)": "状态字3（运行）",
    "status word 4": "状态字4", "status word 5": "状态字5", "status word 6": "状态字6", "status word 7": "状态字7",
    "status words 1-7": "状态字1-7", "remaining money (剩余金额)": "剩余金额", "alarm amount 1 limit": "报警金额1限值",
    "alarm amount 2 limit": "报警金额2限值", "overdraft amount limit": "透支金额限值", "hoarding amount limit": "囤积金额限值",
    "close-allowed amount limit": "合闸允许金额限值",
    "non-prepaid": "非预付费", "energy-prepaid": "电量型预付费", "money-prepaid": "电费型预付费", "reserved": "保留",
    "yuan": "元",
    # Modbus exceptions
    "illegal function: the meter does not support this function code": "非法功能：电表不支持该功能码",
    "illegal data address: the register is not in this meter's map (wrong profile or firmware?)":
        "非法数据地址：电表没有该寄存器（表型或固件不对？）",
    "illegal data value: the meter refused a value or quantity in the request": "非法数据值：电表拒绝了请求中的数值或数量",
    "slave device failure: the meter failed while executing the request": "从站设备故障：电表执行请求时出错",
    "acknowledge: the meter accepted a long request and is still working on it": "确认：电表已接受耗时请求，仍在处理",
    "slave device busy: try again later": "从站设备忙：请稍后再试",
    "memory parity error in the meter": "电表存储奇偶校验错误",
    "gateway path unavailable: the gateway has no route to this slave": "网关路径不可用：网关没有到该从站的路由",
    "gateway target device failed to respond: the meter behind the gateway is silent": "网关目标设备无应答：网关后面的电表不回应",
    # Acrel 4G commands
    "downlink (Modbus RTU inside)": "下行（内含 Modbus RTU）", "data upload": "数据上传", "time sync": "校时",
    "register": "注册", "heartbeat": "心跳",
    # Modbus RTU roles
    "request": "请求", "response": "应答",
}
