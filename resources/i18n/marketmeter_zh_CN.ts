<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AlarmsPage</name>
    <message>
        <source>No cut at night</source>
        <translation>夜间不断电</translation>
    </message>
    <message>
        <source>No cut on holidays</source>
        <translation>节假日不断电</translation>
    </message>
    <message>
        <source>Holidays</source>
        <translation>节假日</translation>
    </message>
    <message>
        <source>Alarm 1 levels in use</source>
        <translation>在用的一级报警金额</translation>
    </message>
    <message>
        <source>Alarm 2 levels in use</source>
        <translation>在用的二级报警金额</translation>
    </message>
    <message>
        <source>Alarm levels are set per stall (Stalls → Edit). The friendly period is shown here; changing it comes with the site settings service.</source>
        <translation>报警金额按档位设置（档位 → 修改）。此处显示友好时段；修改友好时段的功能将随市场设置服务提供。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>未启用</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>¥%1 (%2 stalls)</source>
        <translation>¥%1（%2 个档位）</translation>
    </message>
</context>
<context>
    <name>BatchAction</name>
    <message>
        <source>Trip</source>
        <translation>分闸</translation>
    </message>
    <message>
        <source>Switch OFF the power of %n electricity meters?</source>
        <translation>确定对 %n 块电表分闸（断电）吗？</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>Switch ON the power of %n electricity meters?</source>
        <translation>确定对 %n 块电表合闸（送电）吗？</translation>
    </message>
    <message>
        <source>Forced on</source>
        <translation>保电</translation>
    </message>
    <message>
        <source>Keep %n meters on whatever their balance (forced on)?</source>
        <translation>确定对 %n 块表保电（不论余额都不断电）吗？</translation>
    </message>
    <message>
        <source>Restore prepaid</source>
        <translation>恢复预付费</translation>
    </message>
    <message>
        <source>Return %n meters to prepaid control (the balance decides again)?</source>
        <translation>确定让 %n 块表恢复预付费控制（重新按余额通断）吗？</translation>
    </message>
    <message>
        <source>Open valve</source>
        <translation>开阀</translation>
    </message>
    <message>
        <source>Open the valve of %n water meters?</source>
        <translation>确定打开 %n 块水表的阀门吗？</translation>
    </message>
    <message>
        <source>Close valve</source>
        <translation>关阀</translation>
    </message>
    <message>
        <source>Close the valve of %n water meters?</source>
        <translation>确定关闭 %n 块水表的阀门吗？</translation>
    </message>
    <message>
        <source>Read now</source>
        <translation>立即抄表</translation>
    </message>
    <message>
        <source>Read %n meters now?</source>
        <translation>确定立即抄读 %n 块表吗？</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <source>Not sent</source>
        <translation>未下发</translation>
    </message>
</context>
<context>
    <name>BatchResultDialog</name>
    <message>
        <source>%1: result per meter</source>
        <translation>%1：逐表结果</translation>
    </message>
    <message>
        <source>You may close this window: the commands carry on and their results are kept.</source>
        <translation>可以关闭本窗口：指令会继续执行，结果会保存。</translation>
    </message>
    <message>
        <source>%1 meters: %2 succeeded, %3 failed, %4 waiting, %5 not sent.</source>
        <translation>共 %1 块表：成功 %2，失败 %3，等待 %4，未下发 %5。</translation>
    </message>
</context>
<context>
    <name>BillsView</name>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Generate property bills …</source>
        <translation>生成物业账单…</translation>
    </message>
    <message>
        <source>Issue selected (下发)</source>
        <translation>下发选中账单</translation>
    </message>
    <message>
        <source>Issue bills</source>
        <translation>下发账单</translation>
    </message>
    <message>
        <source>Select bills that are not issued yet (Status: Not issued, Ctrl+A selects all shown).</source>
        <translation>请先选择未下发的账单（状态为“未下发”；Ctrl+A 全选当前显示的行）。</translation>
    </message>
    <message>
        <source>Issue %1 bills, total ¥%2? Each stall&apos;s balance is debited at once; this cannot be undone except by voiding a bill.</source>
        <translation>确定下发 %1 张账单，合计 ¥%2 吗？各档位余额会立即扣费；下发后只能通过作废账单来冲回。</translation>
    </message>
    <message>
        <source>Issuing %1 bills …</source>
        <translation>正在下发 %1 张账单…</translation>
    </message>
    <message>
        <source>%1 bills issued, ¥%2 debited.</source>
        <translation>已下发 %1 张账单，共扣费 ¥%2。</translation>
    </message>
    <message>
        <source>Generate property bills</source>
        <translation>生成物业账单</translation>
    </message>
    <message>
        <source>Month (bills already generated for it are left as they are):</source>
        <translation>月份（该月已生成的账单保持不变）：</translation>
    </message>
    <message>
        <source>%1 new bills, total ¥%2; %3 were there already. Check them, then issue.</source>
        <translation>新生成 %1 张账单，合计 ¥%2；已有 %3 张。请核对后再下发。</translation>
    </message>
    <message>
        <source>%1 bills shown, total ¥%2</source>
        <translation>显示 %1 张账单，合计 ¥%2</translation>
    </message>
</context>
<context>
    <name>BuildingDialog</name>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Reading time</source>
        <translation>抄表时间</translation>
    </message>
    <message>
        <source>Settlement time</source>
        <translation>结算时间</translation>
    </message>
    <message>
        <source>Settlement cycle</source>
        <translation>结算周期</translation>
    </message>
</context>
<context>
    <name>BuildingsPage</name>
    <message>
        <source>Add building …</source>
        <translation>新增楼栋…</translation>
    </message>
    <message>
        <source>Edit …</source>
        <translation>修改…</translation>
    </message>
</context>
<context>
    <name>ChannelsPage</name>
    <message>
        <source>Channels are shown here; adding and changing them comes with the comm service&apos;s channel settings (python -m app comm … on the command line meanwhile).</source>
        <translation>此处显示现有通道；新增和修改通道的功能将随通讯服务的通道设置提供（目前可在命令行使用 python -m app comm …）。</translation>
    </message>
    <message>
        <source>Serial ports on this PC: %1</source>
        <translation>本机串口：%1</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
</context>
<context>
    <name>ChargeItemsPage</name>
    <message>
        <source>Charge items are shown here; adding and changing them comes with the property-bill service.</source>
        <translation>此处显示现有收费项目；新增和修改收费项目的功能将随物业账单服务提供。</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Bill No.</source>
        <translation>账单号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Stall name</source>
        <translation>档位名称</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>To</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Amount ¥</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>下发时间</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Receipt No.</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Paid by</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Balance after ¥</source>
        <translation>操作后余额（元）</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Meters</source>
        <translation>表数</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线数</translation>
    </message>
    <message>
        <source>Poll every (s)</source>
        <translation>抄表间隔（秒）</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>表计</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Frame (hex)</source>
        <translation>报文（十六进制）</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误内容</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>表地址</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Last reading</source>
        <translation>最后抄表</translation>
    </message>
    <message>
        <source>Total reading</source>
        <translation>总读数</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Reading time</source>
        <translation>抄表时间</translation>
    </message>
    <message>
        <source>Settlement time</source>
        <translation>结算时间</translation>
    </message>
    <message>
        <source>Cycle</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Settled until</source>
        <translation>已结算至</translation>
    </message>
    <message>
        <source>Stalls</source>
        <translation>档位数</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Charge item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Charged</source>
        <translation>计费方式</translation>
    </message>
    <message>
        <source>Price ¥</source>
        <translation>单价（元）</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Prices (¥ per kWh / m³)</source>
        <translation>单价（元/kWh 或 元/m³）</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Balance ¥</source>
        <translation>余额（元）</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>断电数</translation>
    </message>
    <message>
        <source>Comm</source>
        <translation>通讯</translation>
    </message>
    <message>
        <source>Account opened</source>
        <translation>已开户</translation>
    </message>
    <message>
        <source>Power kW</source>
        <translation>功率 kW</translation>
    </message>
    <message>
        <source>Relay / valve</source>
        <translation>通断状态</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>控制方式</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
</context>
<context>
    <name>CommMonitorView</name>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop adding frames so you can read them; nothing is lost while paused.</source>
        <translation>暂停滚动以便查看；暂停期间的报文不会丢失。</translation>
    </message>
    <message>
        <source>Follow newest</source>
        <translation>跟随最新</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>报文</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Collection is running in this program.</source>
        <translation>本程序正在抄表。</translation>
    </message>
    <message>
        <source>Collection is not running in this program (it may run as a service on another PC).</source>
        <translation>本程序未在抄表（抄表服务可能运行在另一台电脑上）。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>The database cannot be reached or is busy. Check the network connection to the database server (or that no other program has the file open), then try again.</source>
        <translation>无法连接数据库或数据库正忙。请检查与数据库服务器的网络连接（或确认没有其他程序占用数据库文件），然后重试。</translation>
    </message>
    <message>
        <source>The action could not be completed because of an internal error. Nothing was changed. The details are in the log file; please tell your administrator.</source>
        <translation>由于程序内部错误，操作未能完成，数据没有任何改动。详细信息已记录在日志文件中，请告知管理员。</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>无权操作</translation>
    </message>
    <message>
        <source>Cannot do this</source>
        <translation>无法操作</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>FilteredTable</name>
    <message>
        <source>Filter: type any part of a code, name, address …</source>
        <translation>筛选：输入档位号、名称、表地址等任意部分…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Recharge</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>Reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>电</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>水</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation>未抄读</translation>
    </message>
    <message>
        <source>Prepaid</source>
        <translation>预付费</translation>
    </message>
    <message>
        <source>Forced on</source>
        <translation>保电</translation>
    </message>
    <message>
        <source>Forced off</source>
        <translation>强制断电</translation>
    </message>
    <message>
        <source>Trip</source>
        <translation>分闸</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>Restore prepaid</source>
        <translation>恢复预付费</translation>
    </message>
    <message>
        <source>Open valve</source>
        <translation>开阀</translation>
    </message>
    <message>
        <source>Close valve</source>
        <translation>关阀</translation>
    </message>
    <message>
        <source>Read now</source>
        <translation>立即抄表</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>转账</translation>
    </message>
    <message>
        <source>Property</source>
        <translation>物业费</translation>
    </message>
    <message>
        <source>Shared electricity</source>
        <translation>公摊电费</translation>
    </message>
    <message>
        <source>Shared water</source>
        <translation>公摊水费</translation>
    </message>
    <message>
        <source>Not issued</source>
        <translation>未下发</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>已审核</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Vacant</source>
        <translation>空置</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation>按小时</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>按日</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>Flat</source>
        <translation>单一电价</translation>
    </message>
    <message>
        <source>Time of use</source>
        <translation>分时电价</translation>
    </message>
    <message>
        <source>Tiered</source>
        <translation>阶梯电价</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>审核员</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>查看员</translation>
    </message>
    <message>
        <source>RS485 serial port</source>
        <translation>RS485 串口</translation>
    </message>
    <message>
        <source>Serial server (TCP)</source>
        <translation>串口服务器（TCP）</translation>
    </message>
    <message>
        <source>Modbus TCP gateway</source>
        <translation>Modbus TCP 网关</translation>
    </message>
    <message>
        <source>Acrel 4G meters</source>
        <translation>安科瑞 4G 表</translation>
    </message>
    <message>
        <source>4G DTU</source>
        <translation>4G DTU</translation>
    </message>
    <message>
        <source>NB-IoT (CTWing)</source>
        <translation>NB-IoT（电信 AEP）</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>Power on</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>Tripped</source>
        <translation>分闸</translation>
    </message>
    <message>
        <source>Valve open</source>
        <translation>阀开</translation>
    </message>
    <message>
        <source>Valve closed</source>
        <translation>阀关</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language is used when MarketMeter is started again. Messages from the database services and printed receipts are always in Chinese.</source>
        <translation>新的语言在重新启动 MarketMeter 后生效。数据服务给出的提示和打印的收据始终为中文。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>MarketMeter — sign in</source>
        <translation>MarketMeter 市场预付费管理 — 登录</translation>
    </message>
    <message>
        <source>MarketMeter</source>
        <translation>MarketMeter 市场预付费管理</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Checking …</source>
        <translation>正在验证…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Recharge</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>Recharge history</source>
        <translation>充值记录</translation>
    </message>
    <message>
        <source>Stalls</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Meters</source>
        <translation>表计</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation>账单</translation>
    </message>
    <message>
        <source>Comm monitor</source>
        <translation>通讯监视</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>MarketMeter — %1</source>
        <translation>MarketMeter 市场预付费管理 — %1</translation>
    </message>
    <message>
        <source>Signed in: %1 (%2)</source>
        <translation>当前用户：%1（%2）</translation>
    </message>
    <message>
        <source>Demo market: simulated meters, not real money</source>
        <translation>演示市场：模拟表计，不涉及真实资金</translation>
    </message>
    <message>
        <source>Working …</source>
        <translation>正在处理…</translation>
    </message>
</context>
<context>
    <name>MeterHistoryDialog</name>
    <message>
        <source>History of %1 meter %2 (%3)</source>
        <translation>%1表 %2 的历史（%3）</translation>
    </message>
    <message>
        <source>By day (last 31 days)</source>
        <translation>按日（最近 31 天）</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>Usage chart</source>
        <translation>用量图</translation>
    </message>
    <message>
        <source>Daily readings</source>
        <translation>每日读数</translation>
    </message>
    <message>
        <source>Loading …</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>%1 days of readings. Usage in %2.</source>
        <translation>共 %1 天的读数，用量单位 %2。</translation>
    </message>
    <message>
        <source>No readings stored for this meter yet.</source>
        <translation>这块表还没有读数。</translation>
    </message>
    <message>
        <source>No usage to show yet.</source>
        <translation>暂无用量。</translation>
    </message>
</context>
<context>
    <name>MetersView</name>
    <message>
        <source>All meters</source>
        <translation>全部表计</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>电表</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>水表</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Tripped / valve closed</source>
        <translation>已分闸 / 已关阀</translation>
    </message>
    <message>
        <source>Balance below zero</source>
        <translation>余额为负</translation>
    </message>
    <message>
        <source>Not prepaid (forced)</source>
        <translation>非预付费（保电/强制断电）</translation>
    </message>
    <message>
        <source>History …</source>
        <translation>历史…</translation>
    </message>
    <message>
        <source>Selected meters:</source>
        <translation>对选中的表：</translation>
    </message>
    <message>
        <source>Select the meters first (Ctrl+click or Shift+click; Ctrl+A selects all shown). This operation applies to %1 meters.</source>
        <translation>请先选择表计（Ctrl+单击 或 Shift+单击；Ctrl+A 全选当前显示的行）。此操作适用于%1表。</translation>
    </message>
    <message>
        <source>Reason (kept in the audit log):</source>
        <translation>原因（记入操作日志）：</translation>
    </message>
    <message>
        <source>Sending %1 commands …</source>
        <translation>正在下发 %1 条指令…</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Select a meter first.</source>
        <translation>请先选择一块表。</translation>
    </message>
</context>
<context>
    <name>NewUserDialog</name>
    <message>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>OverviewView</name>
    <message>
        <source>Meters online</source>
        <translation>在线表计</translation>
    </message>
    <message>
        <source>Meters offline</source>
        <translation>离线表计</translation>
    </message>
    <message>
        <source>Tripped / valve closed</source>
        <translation>已分闸 / 已关阀</translation>
    </message>
    <message>
        <source>Stalls with low balance</source>
        <translation>余额不足的档位</translation>
    </message>
    <message>
        <source>Read, not yet settled</source>
        <translation>已抄表未结算</translation>
    </message>
    <message>
        <source>Last collection</source>
        <translation>最近抄表</translation>
    </message>
    <message>
        <source>Today&apos;s recharges by payment method</source>
        <translation>今日充值（按支付方式）</translation>
    </message>
    <message>
        <source>Collection errors</source>
        <translation>抄表错误</translation>
    </message>
    <message>
        <source>%1 — overview</source>
        <translation>%1 — 概览</translation>
    </message>
    <message>
        <source>of %1 meters; %2 not read yet</source>
        <translation>共 %1 块表；%2 块未抄读</translation>
    </message>
    <message>
        <source>check the line or gateway in Comm monitor</source>
        <translation>请在“通讯监视”中检查线路或网关</translation>
    </message>
    <message>
        <source>power or water is off</source>
        <translation>已断电或已关阀</translation>
    </message>
    <message>
        <source>below alarm 1; %1 below zero</source>
        <translation>低于一级报警；%1 个余额为负</translation>
    </message>
    <message>
        <source>and %1 m³ of water</source>
        <translation>水 %1 m³</translation>
    </message>
    <message>
        <source>no reading yet</source>
        <translation>尚无读数</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>%1 meters report an error. Latest:</source>
        <translation>%1 块表报告错误。最近的：</translation>
    </message>
    <message>
        <source>No errors in the last collection.</source>
        <translation>最近一次抄表没有错误。</translation>
    </message>
</context>
<context>
    <name>PrinterPage</name>
    <message>
        <source>Print the receipt of every recharge at once</source>
        <translation>每次充值后立即打印收据</translation>
    </message>
    <message>
        <source>Preview a sample receipt …</source>
        <translation>预览示例收据…</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Every receipt is also kept as a PDF in the receipts folder of the user data folder.</source>
        <translation>每张收据同时以 PDF 保存在用户数据目录的 receipts 文件夹中。</translation>
    </message>
    <message>
        <source>The system&apos;s default printer</source>
        <translation>系统默认打印机</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1（未找到）</translation>
    </message>
</context>
<context>
    <name>RechargeConfirmDialog</name>
    <message>
        <source>Confirm recharge</source>
        <translation>确认充值</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>In capitals</source>
        <translation>大写</translation>
    </message>
    <message>
        <source>Paid by</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>充值后余额</translation>
    </message>
    <message>
        <source>Confirm (Enter)</source>
        <translation>确认（回车）</translation>
    </message>
    <message>
        <source>Back (Esc)</source>
        <translation>返回（Esc）</translation>
    </message>
    <message>
        <source>Check the amount with the customer before confirming.</source>
        <translation>确认前请与客户核对金额。</translation>
    </message>
</context>
<context>
    <name>RechargeHistoryView</name>
    <message>
        <source>All payment methods</source>
        <translation>全部支付方式</translation>
    </message>
    <message>
        <source>Reprint (补打)</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Print preview …</source>
        <translation>打印预览…</translation>
    </message>
    <message>
        <source>Reverse …</source>
        <translation>冲正…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>%1 receipts, net ¥%2</source>
        <translation>%1 张收据，净额 ¥%2</translation>
    </message>
    <message>
        <source>Recharge history</source>
        <translation>充值记录</translation>
    </message>
    <message>
        <source>Select a receipt first.</source>
        <translation>请先选择一张收据。</translation>
    </message>
    <message>
        <source>Reverse recharge</source>
        <translation>冲正充值</translation>
    </message>
    <message>
        <source>Reverse receipt %1: ¥%2 to stall %3?
The money is taken off the balance again and a reversal receipt is printed.

Reason (required):</source>
        <translation>确定冲正收据 %1（档位 %3，¥%2）吗？
该金额将从余额中扣回，并打印冲正收据。

原因（必填）：</translation>
    </message>
</context>
<context>
    <name>RechargeView</name>
    <message>
        <source>Stall code, scan the QR code, or a name / phone number</source>
        <translation>输入档位号、扫描二维码，或输入姓名 / 电话</translation>
    </message>
    <message>
        <source>Amount in yuan, e.g. 100 or 120.50</source>
        <translation>金额（元），如 100 或 120.50</translation>
    </message>
    <message>
        <source>Recharge (Enter)</source>
        <translation>充值（回车）</translation>
    </message>
    <message>
        <source>Reprint last receipt</source>
        <translation>补打上一张收据</translation>
    </message>
    <message>
        <source>Recharge</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>Amount (¥)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Paid by (keys 1–5)</source>
        <translation>支付方式（按 1–5）</translation>
    </message>
    <message>
        <source>Find the stall</source>
        <translation>查找档位</translation>
    </message>
    <message>
        <source>Recharge (your role may only look up stalls)</source>
        <translation>充值（您的角色只能查询档位）</translation>
    </message>
    <message>
        <source>No stall found for “%1”. Check the code, or type part of the tenant&apos;s name or phone.</source>
        <translation>找不到“%1”对应的档位。请检查档位号，或输入租户姓名、电话的一部分。</translation>
    </message>
    <message>
        <source>Recharging …</source>
        <translation>正在充值…</translation>
    </message>
    <message>
        <source>Recharged ¥%1 to %2 (%3). Receipt No. %4. New balance ¥%5.</source>
        <translation>已为 %2 充值 ¥%1（%3），收据号 %4，当前余额 ¥%5。</translation>
    </message>
    <message>
        <source>No printer found, so the receipt was not printed. It is saved as %1. Choose the printer under Settings → Printer and receipt, then use “Reprint”.</source>
        <translation>未找到打印机，收据没有打印，已保存为 %1。请在“设置 → 打印机和收据”中选择打印机，然后使用“补打”。</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Alarms and friendly periods</source>
        <translation>报警与友好时段</translation>
    </message>
    <message>
        <source>Buildings and schedules</source>
        <translation>楼栋与结算时间</translation>
    </message>
    <message>
        <source>Comm channels</source>
        <translation>通讯通道</translation>
    </message>
    <message>
        <source>Fixed per month</source>
        <translation>每月固定</translation>
    </message>
    <message>
        <source>Per m² of stall area</source>
        <translation>按档位面积（每平方米）</translation>
    </message>
    <message>
        <source>Per unit</source>
        <translation>按数量</translation>
    </message>
    <message>
        <source>Charge items</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>58 mm thermal roll</source>
        <translation>58 mm 热敏纸</translation>
    </message>
    <message>
        <source>80 mm thermal roll</source>
        <translation>80 mm 热敏纸</translation>
    </message>
    <message>
        <source>A5 sheet</source>
        <translation>A5 纸</translation>
    </message>
    <message>
        <source>Printer and receipt</source>
        <translation>打印机和收据</translation>
    </message>
    <message>
        <source>Tariffs</source>
        <translation>电价水价</translation>
    </message>
    <message>
        <source>Users and roles</source>
        <translation>用户与角色</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>StallCardWidget</name>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Available balance</source>
        <translation>可用余额</translation>
    </message>
    <message>
        <source>Alarm at</source>
        <translation>报警金额</translation>
    </message>
    <message>
        <source>Meters</source>
        <translation>表计</translation>
    </message>
    <message>
        <source>No stall selected</source>
        <translation>未选择档位</translation>
    </message>
    <message>
        <source>not priced yet (usage since the last settlement)</source>
        <translation>尚未计价（上次结算后的用量）</translation>
    </message>
    <message>
        <source>alarm 1 below ¥%1, alarm 2 below ¥%2, overdraft ¥%3</source>
        <translation>一级报警 ¥%1，二级报警 ¥%2，透支额度 ¥%3</translation>
    </message>
    <message>
        <source>no meter</source>
        <translation>未绑定表计</translation>
    </message>
</context>
<context>
    <name>StallDialog</name>
    <message>
        <source>New stall</source>
        <translation>新增档位</translation>
    </message>
    <message>
        <source>Edit stall %1</source>
        <translation>修改档位 %1</translation>
    </message>
    <message>
        <source>Stall code</source>
        <translation>档位号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>档位名称</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（m²）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Tenant&apos;s phone</source>
        <translation>租户电话</translation>
    </message>
    <message>
        <source>Alarm 1 below (¥)</source>
        <translation>一级报警金额（元）</translation>
    </message>
    <message>
        <source>Alarm 2 below (¥)</source>
        <translation>二级报警金额（元）</translation>
    </message>
    <message>
        <source>Overdraft allowed (¥)</source>
        <translation>透支额度（元）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Add a building under Settings → Buildings first.</source>
        <translation>请先在“设置 → 楼栋与结算时间”中新增楼栋。</translation>
    </message>
</context>
<context>
    <name>StallsView</name>
    <message>
        <source>Add stall …</source>
        <translation>新增档位…</translation>
    </message>
    <message>
        <source>Edit …</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>All buildings</source>
        <translation>全部楼栋</translation>
    </message>
    <message>
        <source>Delete stall</source>
        <translation>删除档位</translation>
    </message>
    <message>
        <source>Delete stall %1 (%2)? Only a stall entered by mistake, with no money and no meters, can be deleted.</source>
        <translation>确定删除档位 %1（%2）吗？只有误录入、没有资金记录也没有绑定表计的档位才能删除。</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Building the demo market (only the first time): 474 electricity and 417 water meters, three months of readings …</source>
        <translation>正在生成演示市场（仅第一次）：474 块电表、417 块水表，三个月的抄表数据……</translation>
    </message>
    <message>
        <source>MarketMeter demo</source>
        <translation>MarketMeter 演示</translation>
    </message>
    <message>
        <source>This database has no market yet. Ask your administrator to set it up, or start the demo with: python -m app --demo</source>
        <translation>该数据库中还没有市场。请管理员先完成设置，或用 python -m app --demo 启动演示。</translation>
    </message>
    <message>
        <source>This database has no active administrator. Ask your administrator to add one.</source>
        <translation>该数据库中没有可用的管理员账号。请联系管理员添加。</translation>
    </message>
    <message>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>The database could not be opened:</source>
        <translation>数据库无法打开：</translation>
    </message>
    <message>
        <source>Demo meters running, clock %1× faster</source>
        <translation>演示仪表已运行，时钟加快 %1 倍</translation>
    </message>
    <message>
        <source>The simulated meters could not start; the demo shows its stored data.</source>
        <translation>模拟仪表未能启动，演示只显示已保存的数据。</translation>
    </message>
    <message>
        <source>Meter reading could not start:</source>
        <translation>抄表服务未能启动：</translation>
    </message>
    <message>
        <source>MarketMeter</source>
        <translation>MarketMeter 市场预付费管理</translation>
    </message>
</context>
<context>
    <name>TariffDialog</name>
    <message>
        <source>Tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>For</source>
        <translation>用于</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Price (flat, or first tier)</source>
        <translation>单价（单一电价或第一档）</translation>
    </message>
    <message>
        <source>Time-of-use prices</source>
        <translation>分时单价</translation>
    </message>
    <message>
        <source>Time-of-use periods</source>
        <translation>分时时段</translation>
    </message>
    <message>
        <source>Tiers (monthly usage = price)</source>
        <translation>阶梯（月用量上限 = 单价）</translation>
    </message>
</context>
<context>
    <name>TariffsPage</name>
    <message>
        <source>Add tariff …</source>
        <translation>新增电价…</translation>
    </message>
    <message>
        <source>Edit …</source>
        <translation>修改…</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Add user …</source>
        <translation>新增用户…</translation>
    </message>
    <message>
        <source>Change role …</source>
        <translation>修改角色…</translation>
    </message>
    <message>
        <source>Set password …</source>
        <translation>设置密码…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Select a user first.</source>
        <translation>请先选择一个用户。</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>修改角色</translation>
    </message>
    <message>
        <source>New role of %1:</source>
        <translation>%1 的新角色：</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>New password of %1:</source>
        <translation>%1 的新密码：</translation>
    </message>
    <message>
        <source>Deactivate user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Deactivate %1? The user can no longer sign in; their receipts stay.</source>
        <translation>确定停用 %1 吗？停用后该用户不能再登录，其开具的收据保留。</translation>
    </message>
</context>
</TS>
