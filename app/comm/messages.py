"""Words a clerk reads when a meter or a line fails (命令失败原因 / 通讯故障).

All in one place so the wording stays consistent and can be translated later.
"""

NO_ANSWER = "电表无应答，请检查通讯线路"
WATER_NO_ANSWER = "水表无应答，请检查表计信号"
CHANNEL_DOWN = "通讯通道未连接，请检查串口服务器/网关电源和网线"
PORT_OPEN_FAILED = "串口打不开，请检查串口号和是否被其他程序占用"
DEVICE_NOT_DIALLED_IN = "设备未上线（未注册到本机），请检查表计4G/DTU信号和服务器地址设置"
BAD_REPLY = "电表应答报文错误，请检查线路干扰或表地址设置"
METER_REJECTED = "电表拒绝命令（错误码 {code}）"
METER_REJECTED_PROTECTED = "电表处于保电状态，拒绝跳闸；请先解除保电"
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

RELAY_WORDS = {True: "合闸", False: "分闸", None: "未知"}
VALVE_WORDS = {True: "开阀", False: "关阀", None: "未知"}
ACTION_WORDS = {
    "trip": "分闸", "close": "合闸", "forced_on": "保电", "forced_off": "强制分闸",
    "restore_prepaid": "恢复预付费", "valve_open": "开阀", "valve_close": "关阀", "read_now": "立即抄表",
}
