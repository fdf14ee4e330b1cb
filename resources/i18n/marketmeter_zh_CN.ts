<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdminPage</name>
    <message>
        <source>2 / 7  First administrator</source>
        <translation>2 / 7  首个管理员</translation>
    </message>
    <message>
        <source>The administrator sets up everything else and adds the cashiers. The display name is printed on receipts.</source>
        <translation>管理员负责其余的设置，并添加收银员。显示名称会打印在收据上。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>At least 8 characters, not only digits.</source>
        <translation>至少 8 位，不能全是数字。</translation>
    </message>
</context>
<context>
    <name>AlarmsPage</name>
    <message>
        <source>No cut at night, from</source>
        <translation>夜间不断电，从</translation>
    </message>
    <message>
        <source>No cut on the holidays listed below</source>
        <translation>下列节假日不断电</translation>
    </message>
    <message>
        <source>Save friendly period</source>
        <translation>保存友好时段</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>e.g. Spring Festival</source>
        <translation>如 春节</translation>
    </message>
    <message>
        <source>Add holiday</source>
        <translation>添加节假日</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>删除选中</translation>
    </message>
    <message>
        <source>Friendly period (no automatic cut)</source>
        <translation>友好时段（不自动断电）</translation>
    </message>
    <message>
        <source>All buildings</source>
        <translation>全部楼栋</translation>
    </message>
    <message>
        <source>Apply to stalls …</source>
        <translation>应用到档位…</translation>
    </message>
    <message>
        <source>Alarm thresholds and overdraft limit</source>
        <translation>报警金额与透支额度</translation>
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
        <source>Overdraft limit (¥)</source>
        <translation>透支额度（元）</translation>
    </message>
    <message>
        <source>For</source>
        <translation>适用于</translation>
    </message>
    <message>
        <source>In use now</source>
        <translation>当前使用</translation>
    </message>
    <message>
        <source>Applied to all buildings, these are also the levels of the stalls added later (created or imported). A stall&apos;s own levels can differ: Stalls → Edit.</source>
        <translation>应用到全部楼栋时，这也是以后新增（新建或导入）档位的报警金额。单个档位可另行设置：档位 → 修改。</translation>
    </message>
    <message>
        <source>Only an administrator can change these settings.</source>
        <translation>只有管理员可以修改这些设置。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>¥%1 (%2 stalls)</source>
        <translation>¥%1（%2 个档位）</translation>
    </message>
    <message>
        <source>Alarm 1: %1</source>
        <translation>一级报警：%1</translation>
    </message>
    <message>
        <source>Alarm 2: %1</source>
        <translation>二级报警：%1</translation>
    </message>
    <message>
        <source>Stalls added later: alarm 1 ¥%1, alarm 2 ¥%2, overdraft limit ¥%3</source>
        <translation>以后新增的档位：一级报警 ¥%1，二级报警 ¥%2，透支额度 ¥%3</translation>
    </message>
    <message>
        <source>Remove holiday</source>
        <translation>删除节假日</translation>
    </message>
    <message>
        <source>Remove the holiday %1?</source>
        <translation>确定删除节假日 %1 吗？</translation>
    </message>
    <message>
        <source>Alarm thresholds</source>
        <translation>报警金额</translation>
    </message>
    <message>
        <source>Set alarm 1 ¥%1, alarm 2 ¥%2 and overdraft limit ¥%3 for the stalls of: %4?</source>
        <translation>确定把“%4”的档位设为：一级报警 ¥%1，二级报警 ¥%2，透支额度 ¥%3 吗？</translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <source>The notification is not signed by the payment platform (forged or altered)</source>
        <translation>支付通知不是支付平台签名的（伪造或被篡改）</translation>
    </message>
    <message>
        <source>The notification is more than 5 minutes old or ahead (a replay, or this PC&apos;s clock is wrong)</source>
        <translation>支付通知的时间与本机相差超过 5 分钟（重放，或本机时钟不准）</translation>
    </message>
    <message>
        <source>The notification could not be decrypted (check the APIv3 key in Settings)</source>
        <translation>支付通知无法解密（请在设置中检查 APIv3 密钥）</translation>
    </message>
    <message>
        <source>The notification is not a successful payment</source>
        <translation>支付通知不是支付成功的通知</translation>
    </message>
    <message>
        <source>Order {order_no} is not one of this market&apos;s orders</source>
        <translation>订单 {order_no} 不是本市场的订单</translation>
    </message>
    <message>
        <source>Order {order_no} is for {expected} yuan but the notification says {paid}</source>
        <translation>订单 {order_no} 金额为 {expected} 元，但支付通知为 {paid} 元</translation>
    </message>
    <message>
        <source>Order {order_no}: the notification names another merchant or app ({got})</source>
        <translation>订单 {order_no}：支付通知中的商户号或应用不是本市场的（{got}）</translation>
    </message>
    <message>
        <source>A notification came from {provider}, which is not set up for any market</source>
        <translation>收到{provider}的支付通知，但没有市场设置了{provider}</translation>
    </message>
    <message>
        <source>Order {order_no} is paid but could not be credited: {error}. Fix it; the next query credits it</source>
        <translation>订单 {order_no} 已支付但未能入账：{error}。请先处理，下次查单时会自动入账</translation>
    </message>
</context>
<context>
    <name>AlertsPage</name>
    <message>
        <source>The market is closed from</source>
        <translation>市场闭市时间：从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Save alert settings</source>
        <translation>保存告警设置</translation>
    </message>
    <message>
        <source>Alert levels</source>
        <translation>告警阈值</translation>
    </message>
    <message>
        <source>Load while closed above (kW)</source>
        <translation>闭市时负荷超过（kW）</translation>
    </message>
    <message>
        <source>Usage while switched off above (kWh / m³)</source>
        <translation>断电/关阀时仍计量超过（kWh / m³）</translation>
    </message>
    <message>
        <source>No usage for (days) while the stall trades</source>
        <translation>档位仍在经营但表计无用量（天）</translation>
    </message>
    <message>
        <source>e.g. A001</source>
        <translation>例如 A001</translation>
    </message>
    <message>
        <source>empty: not watched</source>
        <translation>留空：不监测</translation>
    </message>
    <message>
        <source>Save contracted power</source>
        <translation>保存合同功率</translation>
    </message>
    <message>
        <source>Contracted power of a stall</source>
        <translation>档位合同功率</translation>
    </message>
    <message>
        <source>Stall code</source>
        <translation>档位编号</translation>
    </message>
    <message>
        <source>Contracted power (kW)</source>
        <translation>合同功率（kW）</translation>
    </message>
    <message>
        <source>Collection raises an alert once per event: energy or water counted while the relay or valve reads off, load above a stall&apos;s contracted power, load while the market is closed, a meter that stops counting while its stall trades, reverse energy and a meter cover opened. See them under Safety alerts.</source>
        <translation>抄表时每个事件只告警一次：继电器断开或阀门关闭时仍在计量、负荷超过档位合同功率、闭市时仍有负荷、档位在经营但表计停走、反向电量、表盖被打开。告警在“安全告警”中查看。</translation>
    </message>
    <message>
        <source>Safety alerts</source>
        <translation>安全告警</translation>
    </message>
    <message>
        <source>Alert settings saved.</source>
        <translation>告警设置已保存。</translation>
    </message>
    <message>
        <source>Contracted power of stall %1 saved.</source>
        <translation>档位 %1 的合同功率已保存。</translation>
    </message>
</context>
<context>
    <name>AlertsView</name>
    <message>
        <source>Not resolved</source>
        <translation>未处理完</translation>
    </message>
    <message>
        <source>All alerts</source>
        <translation>全部告警</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Resolve …</source>
        <translation>处理完毕 …</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Raised by collection as it reads the meters, once per event. Thresholds: Settings → Safety alerts.</source>
        <translation>由抄表时产生，每个事件一次。阈值：设置 → 安全告警。</translation>
    </message>
    <message>
        <source>%1 not resolved</source>
        <translation>%1 条未处理完</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Choose an alert first.</source>
        <translation>请先选择一条告警。</translation>
    </message>
    <message>
        <source>Resolve alert</source>
        <translation>处理告警</translation>
    </message>
    <message>
        <source>What was found or done (kept with the alert and in the operation log):</source>
        <translation>查明的情况或采取的措施（记入告警和操作日志）：</translation>
    </message>
</context>
<context>
    <name>ArrearsTab</name>
    <message>
        <source>Also stalls below their alarm levels</source>
        <translation>同时列出低于报警金额的档位</translation>
    </message>
    <message>
        <source>Notices PDF …</source>
        <translation>缴费通知单 PDF…</translation>
    </message>
    <message>
        <source>Print notices …</source>
        <translation>打印缴费通知单…</translation>
    </message>
    <message>
        <source>%1 stalls; owed in total ¥%2</source>
        <translation>共 %1 户；合计欠费 ¥%2</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>Everybody</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>stall code</source>
        <translation>档位号</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>◀ Newer</source>
        <translation>◀ 较新</translation>
    </message>
    <message>
        <source>Older ▶</source>
        <translation>较早 ▶</translation>
    </message>
    <message>
        <source>Export Excel …</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Page %1: rows %2–%3</source>
        <translation>第 %1 页：第 %2–%3 条</translation>
    </message>
    <message>
        <source>Exporting …</source>
        <translation>正在导出…</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <source>Good: the file is intact and all {accounts} balances equal their ledgers</source>
        <translation>正常：文件完好，全部 {accounts} 个账户余额与流水合计一致</translation>
    </message>
    <message>
        <source>Good: pg_restore reads the whole file (schema {revision})</source>
        <translation>正常：pg_restore 能读出整个文件（结构版本 {revision}）</translation>
    </message>
    <message>
        <source>Failed: the copy is damaged (integrity check: {detail}). Try again; if it fails again, check the disk of the backup folder</source>
        <translation>失败：备份文件已损坏（完整性检查：{detail}）。请再备份一次；如果仍然失败，请检查备份文件夹所在的磁盘</translation>
    </message>
    <message>
        <source>Failed: {count} balances differ from their ledger sums (account {account}: balance {balance}, ledger {summed}). The database itself needs checking: tell your administrator</source>
        <translation>失败：有 {count} 个账户余额与流水合计不一致（账户 {account}：余额 {balance}，流水合计 {summed}）。数据库本身需要检查，请告诉管理员</translation>
    </message>
    <message>
        <source>“{file}” is not a MarketMeter backup ({why}). Nothing was changed. Choose a file that MarketMeter&apos;s backup wrote (marketmeter-….db, or .dump on PostgreSQL)</source>
        <translation>“{file}”不是 MarketMeter 的备份文件（{why}），没有做任何改动。请选择 MarketMeter 备份生成的文件（marketmeter-….db，PostgreSQL 为 .dump）</translation>
    </message>
    <message>
        <source>not a database</source>
        <translation>不是数据库文件</translation>
    </message>
    <message>
        <source>a database, but not MarketMeter&apos;s</source>
        <translation>是数据库，但不是 MarketMeter 的</translation>
    </message>
    <message>
        <source>the file is damaged</source>
        <translation>文件已损坏</translation>
    </message>
    <message>
        <source>“{file}” was made by a newer version of MarketMeter (schema {needs}); this version reads schemas up to {head}. Nothing was changed. Install the version that made it, then restore</source>
        <translation>“{file}”是由较新版本的 MarketMeter 生成的（结构版本 {needs}），本版本最多能读结构版本 {head}，没有做任何改动。请先安装生成它的那个版本，再恢复</translation>
    </message>
    <message>
        <source>The file “{file}” does not exist. Check the name and folder</source>
        <translation>文件“{file}”不存在，请检查文件名和文件夹</translation>
    </message>
    <message>
        <source>The collection service is using this database, so it cannot be replaced. Nothing was changed. Stop the service first (Ctrl-C in the window of “{command}”, or close the client started with --collect), then restore again</source>
        <translation>抄表服务正在使用这个数据库，不能替换，没有做任何改动。请先停止抄表服务（在“{command}”的窗口里按 Ctrl-C，或关闭用 --collect 启动的客户端），再重新恢复</translation>
    </message>
    <message>
        <source>{count} other connections are using the database (clerks&apos; clients or the collection service), so it cannot be replaced. Nothing was changed. Close them and stop the service, then restore again</source>
        <translation>还有 {count} 个连接正在使用数据库（收费员的客户端或抄表服务），不能替换，没有做任何改动。请关闭这些客户端并停止抄表服务，再重新恢复</translation>
    </message>
    <message>
        <source>{tool} was not found. A PostgreSQL database is backed up and restored with PostgreSQL&apos;s {tool}: install the PostgreSQL client tools (the server&apos;s version) and put their bin folder on PATH</source>
        <translation>找不到 {tool}。PostgreSQL 数据库要用 PostgreSQL 自带的 {tool} 备份和恢复：请安装 PostgreSQL 客户端工具（与服务器同一版本），并把它的 bin 文件夹加入 PATH</translation>
    </message>
    <message>
        <source>{tool} failed: {detail}. Nothing was replaced</source>
        <translation>{tool} 执行失败：{detail}。没有替换任何数据</translation>
    </message>
    <message>
        <source>The backup could not be written to “{folder}”: {detail}. Check that the folder exists, can be written to and has free space</source>
        <translation>备份无法写入“{folder}”：{detail}。请检查该文件夹是否存在、能否写入、空间是否足够</translation>
    </message>
    <message>
        <source>The current database could not be kept as a backup first ({result}), so nothing was changed</source>
        <translation>未能先把当前数据库保存为备份（{result}），所以没有做任何改动</translation>
    </message>
    <message>
        <source>The database was made by an earlier version (schema {old}) and has been upgraded to schema {new}. The database as it was is kept in “{file}”</source>
        <translation>数据库是由较早版本建立的（结构版本 {old}），已升级到结构版本 {new}。升级前的数据库已保存在“{file}”</translation>
    </message>
    <message>
        <source>The database was made by an earlier version (schema {old}) and has been upgraded to schema {new}, without a backup first: {why}</source>
        <translation>数据库是由较早版本建立的（结构版本 {old}），已升级到结构版本 {new}，升级前没有备份：{why}</translation>
    </message>
</context>
<context>
    <name>BackupsPage</name>
    <message>
        <source>none (e.g. a USB drive or a network share)</source>
        <translation>无（例如U盘或网络共享文件夹）</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Second folder</source>
        <translation>第二备份文件夹</translation>
    </message>
    <message>
        <source>Daily backup at</source>
        <translation>每天备份时间</translation>
    </message>
    <message>
        <source>The database is backed up every day at this time and when MarketMeter closes (at most once an hour), into both folders. Each backup is checked: the file is intact and every balance equals its ledger. 30 daily and 12 monthly backups are kept. To restore one: %1</source>
        <translation>每天在这个时间和关闭 MarketMeter 时（每小时最多一次）把数据库备份到两个文件夹。每份备份都会检查：文件完好，每个账户余额等于流水合计。保留最近 30 天每天一份和最近 12 个月每月一份。恢复备份：%1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>The demo market is not backed up.</source>
        <translation>演示市场不做备份。</translation>
    </message>
    <message>
        <source>Choose …</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>The second folder is the backup folder itself. Choose another drive or share, or leave it empty</source>
        <translation>第二备份文件夹和备份文件夹是同一个。请选择另一个磁盘或共享文件夹，或留空</translation>
    </message>
    <message>
        <source>Backing up …</source>
        <translation>正在备份…</translation>
    </message>
</context>
<context>
    <name>BatchAction</name>
    <message>
        <source>Trip (power off)</source>
        <translation>分闸</translation>
    </message>
    <message>
        <source>Switch OFF the power of %n electricity meters? They stay off (forced trip) whatever their balance, until prepaid control is restored.</source>
        <translation>确定对 %n 块电表分闸（断电）吗？分闸后为强制分闸，不论余额多少都保持断电，直到恢复预付费。</translation>
    </message>
    <message>
        <source>Close (power on)</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>Switch ON the power of %n electricity meters? They stay on (forced close) whatever their balance, until prepaid control is restored.</source>
        <translation>确定对 %n 块电表合闸（送电）吗？合闸后为强制合闸，不论余额多少都保持送电，直到恢复预付费。</translation>
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
        <source>Open the valve of %n water meters? They stay open (forced) whatever their balance, until prepaid control is restored.</source>
        <translation>确定打开 %n 块水表的阀门吗？开阀后为强制开阀，不论余额多少都保持开阀，直到恢复预付费。</translation>
    </message>
    <message>
        <source>Close the valve of %n water meters? They stay closed (forced) whatever their balance, until prepaid control is restored.</source>
        <translation>确定关闭 %n 块水表的阀门吗？关阀后为强制关阀，不论余额多少都保持关阀，直到恢复预付费。</translation>
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
    <message>
        <source>Already in this state: nothing to send</source>
        <translation>已是该状态，无需下发</translation>
    </message>
    <message>
        <source>The same command is already under way</source>
        <translation>已有同样的指令在执行</translation>
    </message>
    <message>
        <source>This meter cannot do this operation</source>
        <translation>该表不支持此操作</translation>
    </message>
    <message>
        <source>The meter no longer exists</source>
        <translation>该表已不存在</translation>
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
        <source>Period</source>
        <translation>账期</translation>
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
        <source>Choose a bill to see its lines.</source>
        <translation>选中一张账单即可查看其明细。</translation>
    </message>
    <message>
        <source>Lines of bill %1</source>
        <translation>账单 %1 的明细</translation>
    </message>
    <message>
        <source>All periods</source>
        <translation>全部账期</translation>
    </message>
    <message>
        <source>Showing the first %1 of %2 bills — narrow the period or the filters to see the rest.</source>
        <translation>只显示了 %2 张账单中的前 %1 张——请缩小账期或筛选条件以查看其余账单。</translation>
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
    <message>
        <source>Issue selected</source>
        <translation>下发选中账单</translation>
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
    <message>
        <source>Delete …</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete building</source>
        <translation>删除楼栋</translation>
    </message>
    <message>
        <source>Delete the building %1?</source>
        <translation>确定删除楼栋 %1 吗？</translation>
    </message>
</context>
<context>
    <name>CLI</name>
    <message>
        <source>Tenant moved out</source>
        <translation>租户退租</translation>
    </message>
    <message>
        <source>Stall “{code}” not found. Check the stall code</source>
        <translation>找不到档位“{code}”，请核对档位号</translation>
    </message>
    <message>
        <source>refund amount</source>
        <translation>退款金额</translation>
    </message>
    <message>
        <source>refund receipt no. {receipt_no}  </source>
        <translation>退款收据号 {receipt_no}  </translation>
    </message>
    <message>
        <source>balance zero, no refund  </source>
        <translation>余额为零，无退款  </translation>
    </message>
    <message>
        <source>Stall {stall} closed  {refund_no}{method} refund {refund} yuan  final settlement charged {settled} yuan  shared costs charged {shared} yuan  {meters} meters tripped / valves closed</source>
        <translation>档位 {stall} 已销户  {refund_no}{method}退款 {refund} 元  最终结算扣费 {settled} 元  公摊扣费 {shared} 元  已断电/关阀 {meters} 块表</translation>
    </message>
    <message>
        <source>Stall {stall} has its account open again, balance 0.00 yuan; power and water come back after a recharge</source>
        <translation>档位 {stall} 已重新开户，余额 0.00 元；充值后恢复供电供水</translation>
    </message>
    <message>
        <source>Time “{text}” is not understood. Write it like 2026-11-25 or &quot;2026-11-25 08:00&quot;</source>
        <translation>时间“{text}”看不懂，请写成 2026-11-25 或 &quot;2026-11-25 08:00&quot;</translation>
    </message>
    <message>
        <source>Unknown kind of operation “{action}”. Choose one of: {known}</source>
        <translation>操作类型“{action}”不认识，可选：{known}</translation>
    </message>
    <message>
        <source>Operation log</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <source>{count} rows</source>
        <translation>共 {count} 条</translation>
    </message>
    <message>
        <source>, written to {path}</source>
        <translation>，已写入 {path}</translation>
    </message>
    <message>
        <source>{channels} channels imported; {on_line} meters on their lines</source>
        <translation>通道 {channels} 个已导入；{on_line} 块表在线路上</translation>
    </message>
    <message>
        <source> ({created} new)</source>
        <translation>（新增 {created} 块）</translation>
    </message>
    <message>
        <source>; {missing} meters are not in the database and were not bound (add them with --create-meters)</source>
        <translation>；{missing} 块表数据库里没有，未绑定（加 --create-meters 可新增）</translation>
    </message>
    <message>
        <source>. Run {command} to start reading the meters.</source>
        <translation>。运行 {command} 开始抄表。</translation>
    </message>
    <message>
        <source>  not bound: {item}</source>
        <translation>  未绑定：{item}</translation>
    </message>
    <message>
        <source>sharp</source>
        <translation>尖</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>峰</translation>
    </message>
    <message>
        <source>flat</source>
        <translation>平</translation>
    </message>
    <message>
        <source>valley</source>
        <translation>谷</translation>
    </message>
    <message>
        <source>{amount} yuan (the meter&apos;s own balance)</source>
        <translation>{amount} yuan (元, the meter&apos;s own balance)</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>tripped</source>
        <translation>分闸</translation>
    </message>
    <message>
        <source>valve open</source>
        <translation>开阀</translation>
    </message>
    <message>
        <source>valve closed</source>
        <translation>关阀</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>No password was read: type it at the prompt, or give it in the environment variable {variable}</source>
        <translation>没有读到密码：请在提示时输入，或在环境变量 {variable} 中给出</translation>
    </message>
    <message>
        <source>Password of user {username}: </source>
        <translation>用户 {username} 的密码：</translation>
    </message>
    <message>
        <source>Give the {what} with --method: {choices}</source>
        <translation>请用 --method 指定{what}：{choices}</translation>
    </message>
    <message>
        <source>Unknown {what} “{text}”. Choose one of: {choices}</source>
        <translation>{what}“{text}”不认识，可选：{choices}</translation>
    </message>
    <message>
        <source>payment method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>refund method</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <source>{amount} yuan</source>
        <translation>{amount} 元</translation>
    </message>
    <message>
        <source>The database is up to date: {url}</source>
        <translation>数据库已是最新版本：{url}</translation>
    </message>
    <message>
        <source>Demo market built: {stalls} stalls, {electric} electricity meters, {water} water meters; {days} days with {readings} readings, {bills} bills totalling {billed} yuan; {low} stalls low on balance, {tripped} meters tripped / valves closed. Took {seconds} s</source>
        <translation>演示市场已建成：{stalls} 个档位，{electric} 块电表，{water} 块水表；{days} 天 {readings} 条读数，{bills} 张账单共 {billed} 元；余额不足 {low} 户，断电/关阀 {tripped} 块表。用时 {seconds} 秒</translation>
    </message>
    <message>
        <source>Template saved: {path}</source>
        <translation>模板已保存：{path}</translation>
    </message>
    <message>
        <source>Cannot read the file {path}: {why}</source>
        <translation>读不到文件 {path}：{why}</translation>
    </message>
    <message>
        <source>row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <source> [{column}]</source>
        <translation>【{column}】</translation>
    </message>
    <message>
        <source>  {where} {problem}; {fix}</source>
        <translation>  {where} {problem}；{fix}</translation>
    </message>
    <message>
        <source>  Note: row {row} [{column}] {problem}</source>
        <translation>  说明：第 {row} 行【{column}】{problem}</translation>
    </message>
    <message>
        <source>The bad rows are marked red in: {path}</source>
        <translation>错误行已标红保存到：{path}</translation>
    </message>
    <message>
        <source>Receipt no. {receipt_no}  stall {stall} {name}  {method} recharge {amount} yuan  balance after recharge {balance} yuan</source>
        <translation>收据号 {receipt_no}  档位 {stall} {name}  {method}充值 {amount} 元  充值后余额 {balance} 元</translation>
    </message>
    <message>
        <source>Date “{text}” is not written right. Write it like 2026-11-25</source>
        <translation>日期“{text}”格式不对，请写成 2026-11-25</translation>
    </message>
    <message>
        <source>Time “{text}” is not written right. Write it like &quot;2026-11-25 08:00&quot;</source>
        <translation>时间“{text}”格式不对，请写成 &quot;2026-11-25 08:00&quot;</translation>
    </message>
    <message>
        <source>The output file “{out}” must end in .xlsx or .pdf</source>
        <translation>输出文件“{out}”须以 .xlsx 或 .pdf 结尾</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>已保存：{path}</translation>
    </message>
    <message>
        <source>{label}: {status}, {stalls} stalls, closing balances total {closing} yuan</source>
        <translation>{label}：{status}，{stalls} 户，期末余额合计 {closing} 元</translation>
    </message>
    <message>
        <source>Some meter addresses do not exist: {addresses}</source>
        <translation>有表号不存在：{addresses}</translation>
    </message>
    <message>
        <source>Usage report</source>
        <translation>用量报表</translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <translation>{first} 至 {last}</translation>
    </message>
    <message>
        <source>Give --from and --to together</source>
        <translation>--from 和 --to 要一起给出</translation>
    </message>
    <message>
        <source>Cashier “{cashier}” does not exist</source>
        <translation>收银员“{cashier}”不存在</translation>
    </message>
    <message>
        <source>Cashier	Method	Recharges	Reversals	Refunds	Net</source>
        <translation>收银员	支付方式	充值	冲正	退款	净额</translation>
    </message>
    <message>
        <source>{amount} ({count})</source>
        <translation>{amount}（{count} 笔）</translation>
    </message>
    <message>
        <source>Total {count} payments, {total} yuan; cash expected {cash} yuan</source>
        <translation>合计 {count} 笔，{total} 元；应有现金 {cash} 元</translation>
    </message>
    <message>
        <source>{site} arrears and low balance list {today}</source>
        <translation>{site} 欠费及低余额名单 {today}</translation>
    </message>
    <message>
        <source>{count} stalls</source>
        <translation>共 {count} 户</translation>
    </message>
    <message>
        <source>Meter reading started: {channels} channels, {meters} meters</source>
        <translation>抄表服务已启动：{channels} 个通道，{meters} 块表</translation>
    </message>
    <message>
        <source>, frame monitor at 127.0.0.1:{port}</source>
        <translation>，报文监视 127.0.0.1:{port}</translation>
    </message>
    <message>
        <source>. Press Ctrl-C to stop.</source>
        <translation>。按 Ctrl-C 停止。</translation>
    </message>
    <message>
        <source>Meter reading stopped.</source>
        <translation>抄表服务已停止。</translation>
    </message>
    <message>
        <source>There is no building named “{building}” (there are: {names})</source>
        <translation>没有名为“{building}”的楼栋（现有：{names}）</translation>
    </message>
    <message>
        <source>No period is due for settlement</source>
        <translation>没有到期未结算的周期</translation>
    </message>
    <message>
        <source> (its month is locked: charged to {month})</source>
        <translation>（所属月份已锁定，计入 {month}）</translation>
    </message>
    <message>
        <source>{building}  {start} – {end}  {bills} bills  {amount} yuan{note}</source>
        <translation>{building}  {start} – {end}  {bills} 张账单  {amount} 元{note}</translation>
    </message>
    <message>
        <source>Total: {bills} bills, {amount} yuan</source>
        <translation>合计：{bills} 张账单，{amount} 元</translation>
    </message>
    <message>
        <source>(no stall)</source>
        <translation>（未绑定）</translation>
    </message>
    <message>
        <source>Skipped stall {stall} meter {address}: {reason}</source>
        <translation>跳过 档位 {stall} 表 {address}：{reason}</translation>
    </message>
    <message>
        <source>Supply control: {count} commands</source>
        <translation>通断控制：{count} 条指令</translation>
    </message>
    <message>
        <source>  stall {stall} meter {address}: {action}</source>
        <translation>  档位 {stall} 表 {address}：{action}</translation>
    </message>
    <message>
        <source>electricity meter</source>
        <translation>电表</translation>
    </message>
    <message>
        <source>water meter</source>
        <translation>水表</translation>
    </message>
    <message>
        <source>prepaid</source>
        <translation>预付费</translation>
    </message>
    <message>
        <source>forced on</source>
        <translation>保电</translation>
    </message>
    <message>
        <source>forced off</source>
        <translation>强制断电</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>not read yet</source>
        <translation>未抄读</translation>
    </message>
    <message>
        <source>open</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>closed (tenant left)</source>
        <translation>已销户</translation>
    </message>
    <message>
        <source>not opened</source>
        <translation>未开户</translation>
    </message>
    <message>
        <source>state unknown</source>
        <translation>状态未知</translation>
    </message>
    <message>
        <source>Stall {code} {name} ({building})  tenant {tenant} {phone}  account {account}</source>
        <translation>档位 {code} {name}（{building}）  租户 {tenant} {phone}  账户{account}</translation>
    </message>
    <message>
        <source>Balance {balance} yuan  available {available}  unsettled {unsettled}</source>
        <translation>余额 {balance} 元  可用余额 {available}  未结算 {unsettled}</translation>
    </message>
    <message>
        <source>--password is no longer accepted: a password on the command line stays in the command history and the process list. Type it at the prompt, or give it on standard input with --password-stdin</source>
        <translation>不再接受 --password：命令行上的密码会留在命令历史和进程列表里；请在提示时输入，或用 --password-stdin 从标准输入给出</translation>
    </message>
    <message>
        <source>Password of the new user {username}: </source>
        <translation>新用户 {username} 的密码：</translation>
    </message>
    <message>
        <source>Type it again: </source>
        <translation>再输一次：</translation>
    </message>
    <message>
        <source>The two passwords typed differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
    <message>
        <source>No password was read: type it at the prompt, or give it on standard input with --password-stdin</source>
        <translation>没有读到密码：请在提示时输入，或用 --password-stdin 从标准输入给出</translation>
    </message>
    <message>
        <source>User {username} added ({role})</source>
        <translation>已添加用户 {username}（{role}）</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Backup written: {file} ({size} MB). {result}</source>
        <translation>备份已写入：{file}（{size} MB）。{result}</translation>
    </message>
    <message>
        <source>The backup was not kept: {result}</source>
        <translation>备份没有保留：{result}</translation>
    </message>
    <message>
        <source>Replace the database {database} by the backup {file}? Everything written since that backup is replaced; the current database is kept as a backup first. Type yes to go on: </source>
        <translation>用备份 {file} 替换数据库 {database}？该备份之后写入的内容都会被替换；当前数据库会先保存为一份备份。输入 yes 继续：</translation>
    </message>
    <message>
        <source>Nothing was restored (the answer was not yes).</source>
        <translation>没有恢复（回答不是 yes）。</translation>
    </message>
    <message>
        <source>The database is restored from {file} (schema {revision}{upgraded}). The database as it was is kept in {kept}.</source>
        <translation>数据库已从 {file} 恢复（结构版本 {revision}{upgraded}）。恢复前的数据库已保存在 {kept}。</translation>
    </message>
    <message>
        <source>, then upgraded</source>
        <translation>，随后已升级</translation>
    </message>
    <message>
        <source>cannot read the manifest {path}: {problem}</source>
        <translation>无法读取通道清单 {path}：{problem}</translation>
    </message>
    <message>
        <source>no bytes given</source>
        <translation>没有给出报文字节</translation>
    </message>
    <message>
        <source>unknown profile {unknown} (known: {known})</source>
        <translation>没有表型 {unknown}（已有：{known}）</translation>
    </message>
    <message>
        <source>--manifest needs --channel-id</source>
        <translation>使用 --manifest 时还要给出 --channel-id</translation>
    </message>
    <message>
        <source>cannot read the manifest: {problem}</source>
        <translation>无法读取通道清单：{problem}</translation>
    </message>
    <message>
        <source>no channel {channel} in the manifest (it has {channels})</source>
        <translation>通道清单中没有通道 {channel}（已有：{channels}）</translation>
    </message>
    <message>
        <source>no meter {address} on channel {channel}</source>
        <translation>通道 {channel} 上没有表 {address}</translation>
    </message>
    <message>
        <source>--channel “{channel}”: expected KIND:HOST:PORT</source>
        <translation>--channel “{channel}”：应写成 类型:主机:端口（KIND:HOST:PORT）</translation>
    </message>
    <message>
        <source>a dtu channel needs --dtu-id</source>
        <translation>dtu 通道需要给出 --dtu-id</translation>
    </message>
    <message>
        <source>give --channel or --manifest with --channel-id</source>
        <translation>请给出 --channel，或 --manifest 加 --channel-id</translation>
    </message>
    <message>
        <source>--address “{address}”: a 4G meter&apos;s serial is 1-20 letters and digits, as on its label</source>
        <translation>--address “{address}”：4G 电表的表号是 1-20 位字母或数字，见表上的标签</translation>
    </message>
    <message>
        <source>--address “{address}”: a DL/T 645 address is 12 digits, as on the meter&apos;s label (fill with leading zeros: 000000001234)</source>
        <translation>--address “{address}”：DL/T 645 表地址是 12 位数字，见表上的标签（不足 12 位前面补零：000000001234）</translation>
    </message>
    <message>
        <source>--address “{address}”: a Modbus slave id is a number from 1 to 247</source>
        <translation>--address “{address}”：Modbus 从站地址是 1 到 247 之间的数字</translation>
    </message>
    <message>
        <source>cannot open the channel: {problem}</source>
        <translation>无法打开通道：{problem}</translation>
    </message>
    <message>
        <source>listening on port {port}, waiting up to {wait} s for the device</source>
        <translation>正在监听端口 {port}，最多等待设备 {wait} 秒</translation>
    </message>
    <message>
        <source>error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>--listen must be HOST:PORT, not “{text}”</source>
        <translation>--listen 应写成 主机:端口（HOST:PORT），而不是“{text}”</translation>
    </message>
    <message>
        <source>meter counts cannot be negative</source>
        <translation>表的数量不能为负数</translation>
    </message>
    <message>
        <source>--speed must be above 0</source>
        <translation>--speed 必须大于 0</translation>
    </message>
    <message>
        <source>--misbehave “{spec}”: write MODE[:FRACTION[:SECONDS]], MODE one of {modes}, FRACTION from 0 to 1</source>
        <translation>--misbehave “{spec}”：应写成 MODE[:FRACTION[:SECONDS]]，MODE 为 {modes} 之一，FRACTION 在 0 到 1 之间</translation>
    </message>
    <message>
        <source>cannot start the simulator: {problem}</source>
        <translation>模拟器无法启动：{problem}</translation>
    </message>
    <message>
        <source>The database had no tables: its schema was created, it is ready for use: {url}</source>
        <translation>数据库原来没有表：已建好全部表，可以使用了：{url}</translation>
    </message>
    <message>
        <source>Standing by: meter reading runs on PC “{host}” (since {since}); this PC takes over when it stops.</source>
        <translation>待命：抄表服务正在电脑“{host}”上运行（自 {since} 起）；它停止后由本机接替。</translation>
    </message>
    <message>
        <source>New password of {username}: </source>
        <translation>{username} 的新密码：</translation>
    </message>
    <message>
        <source>User {username} unlocked: they can sign in again</source>
        <translation>已解锁用户 {username}，现在可以重新登录</translation>
    </message>
    <message>
        <source>Password of {username} reset (and any lock lifted): they choose their own password at the next sign-in</source>
        <translation>已重置 {username} 的密码（锁定同时解除），下次登录时需要改成自己的密码</translation>
    </message>
    <message>
        <source>Market {name} created (code {market_code}). Next: {command}</source>
        <translation>已创建市场 {name}（代码 {market_code}）。下一步：{command}</translation>
    </message>
    <message>
        <source>No market yet: {command}</source>
        <translation>还没有市场：{command}</translation>
    </message>
    <message>
        <source>Market {market_code}: {name}
Address: {address}
Service phone: {phone}
Time zone: {timezone}
Receipt header: {header}
Receipt footer: {footer}</source>
        <translation>市场 {market_code}：{name}
地址：{address}
服务电话：{phone}
时区：{timezone}
收据抬头：{header}
收据页脚：{footer}</translation>
    </message>
    <message>
        <source>Bill {bill} has no lines in this market. Check the bill number (bills view)</source>
        <translation>本市场没有账单 {bill} 的明细。请核对账单号（账单页面）</translation>
    </message>
    <message>
        <source>{description}  {readings}{quantity} {unit} × {price} yuan = {amount} yuan</source>
        <translation>{description}  {readings}{quantity} {unit} × {price} 元 = {amount} 元</translation>
    </message>
    <message>
        <source>readings {start} → {end}  </source>
        <translation>读数 {start} → {end}  </translation>
    </message>
    <message>
        <source>Give both --certfile and --keyfile to serve HTTPS, or neither</source>
        <translation>要用 HTTPS 请同时给出 --certfile 和 --keyfile，否则都不给</translation>
    </message>
    <message>
        <source>{id}  {phone}  since {started}  until {expires}  {state}</source>
        <translation>{id}  {phone}  自 {started}  至 {expires}  {state}</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>{count} sign-ins ended</source>
        <translation>已结束 {count} 个登录</translation>
    </message>
    <message>
        <source>Name the sign-ins to end: --phone NUMBER or --session ID</source>
        <translation>请指明要结束的登录：--phone 手机号 或 --session 编号</translation>
    </message>
    <message>
        <source>Give --workers 1 or more</source>
        <translation>--workers 至少为 1</translation>
    </message>
    <message>
        <source>Stall {stall}: new QR {url}</source>
        <translation>档位 {stall}：新二维码 {url}</translation>
    </message>
    <message>
        <source>No text messages yet.</source>
        <translation>还没有短信。</translation>
    </message>
    <message>
        <source>{at}  {phone}  {template} {params}  [{provider}: {status}]</source>
        <translation>{at}  {phone}  {template} {params}  [{provider}：{status}]</translation>
    </message>
    <message>
        <source>--template takes NAME=CODE (e.g. sign_in_code=SMS_1234), not “{text}”</source>
        <translation>--template 的格式是 名称=模板编号（如 sign_in_code=SMS_1234），不是“{text}”</translation>
    </message>
    <message>
        <source>AccessKey secret: </source>
        <translation>AccessKey Secret：</translation>
    </message>
    <message>
        <source>SMS provider: {provider}; portal address: {url}</source>
        <translation>短信服务商：{provider}；自助服务地址：{url}</translation>
    </message>
    <message>
        <source>{provider} saved for this market ({state})</source>
        <translation>已保存本市场的{provider}设置（{state}）</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>cannot read {path}: {problem}</source>
        <translation>无法读取 {path}：{problem}</translation>
    </message>
    <message>
        <source>No order is waiting for its payment notification</source>
        <translation>没有等待支付通知的订单</translation>
    </message>
    <message>
        <source>{order_no}: credited, receipt {no}</source>
        <translation>{order_no}：已入账，收据号 {no}</translation>
    </message>
    <message>
        <source>{order_no}: credited before, receipt {no}</source>
        <translation>{order_no}：之前已入账，收据号 {no}</translation>
    </message>
    <message>
        <source>{order_no}: not paid yet</source>
        <translation>{order_no}：尚未支付</translation>
    </message>
    <message>
        <source>{order_no}: closed, the tenant did not pay within 2 hours</source>
        <translation>{order_no}：已关闭，租户 2 小时内未支付</translation>
    </message>
    <message>
        <source>{order_no}: refused: {reason}</source>
        <translation>{order_no}：已拒绝：{reason}</translation>
    </message>
    <message>
        <source>{order_no}: not asked: {reason}</source>
        <translation>{order_no}：未能查询：{reason}</translation>
    </message>
    <message>
        <source>{day}: the platforms&apos; statements and the credits agree</source>
        <translation>{day}：支付平台对账单与入账一致</translation>
    </message>
    <message>
        <source>{day}: {count} differences between the statements and the credits</source>
        <translation>{day}：对账单与入账有 {count} 处差异</translation>
    </message>
    <message>
        <source>  {provider}  {order_no}  stall {stall}: {text}</source>
        <translation>  {provider}  {order_no}  档位 {stall}：{text}</translation>
    </message>
    <message>
        <source>No payment notification was refused</source>
        <translation>没有被拒绝的支付通知</translation>
    </message>
    <message>
        <source>--tamper “{spec}”: write CASE[:FRACTION], CASE one of {cases}, FRACTION from 0 to 1</source>
        <translation>--tamper “{spec}”：请写成 CASE[:FRACTION]，CASE 为 {cases} 之一，FRACTION 为 0 到 1</translation>
    </message>
    <message>
        <source>{id}  {raised_at}  {kind}  {state}  {stall}  {meter}  {detail}</source>
        <translation>{id}  {raised_at}  {kind}  {state}  {stall}  {meter}  {detail}</translation>
    </message>
    <message>
        <source>No alerts.</source>
        <translation>没有告警。</translation>
    </message>
    <message>
        <source>Notices to tenants by SMS: {on}; quiet hours: {quiet}</source>
        <translation>给租户的短信通知：{on}；免打扰时段：{quiet}</translation>
    </message>
    <message>
        <source>all off</source>
        <translation>全部关闭</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{count} notices due were handled.</source>
        <translation>已处理 {count} 条到期的通知。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>An administrator has reset your password. Choose your own password now: only you should know it.</source>
        <translation>管理员已重置您的密码。请现在设置您自己的密码：密码只应您本人知道。</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>At least %1 characters, not digits only.</source>
        <translation>至少 %1 位，不能全是数字。</translation>
    </message>
</context>
<context>
    <name>ChannelDialog</name>
    <message>
        <source>Comm channel</source>
        <translation>通讯通道</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Poll this channel</source>
        <translation>启用（抄读此通道）</translation>
    </message>
    <message>
        <source>None (N)</source>
        <translation>无校验（N）</translation>
    </message>
    <message>
        <source>Even (E)</source>
        <translation>偶校验（E）</translation>
    </message>
    <message>
        <source>Odd (O)</source>
        <translation>奇校验（O）</translation>
    </message>
    <message>
        <source>unchanged (type to replace)</source>
        <translation>不变（输入新值即替换）</translation>
    </message>
    <message>
        <source>DL/T 645 control password</source>
        <translation>DL/T 645 控制密码</translation>
    </message>
    <message>
        <source>Password level</source>
        <translation>密码权限级别</translation>
    </message>
    <message>
        <source>Operator code</source>
        <translation>操作者代码</translation>
    </message>
    <message>
        <source>COM port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>波特率</translation>
    </message>
    <message>
        <source>Parity</source>
        <translation>校验位</translation>
    </message>
    <message>
        <source>Stop bits</source>
        <translation>停止位</translation>
    </message>
    <message>
        <source>Gateway address</source>
        <translation>网关地址</translation>
    </message>
    <message>
        <source>Gateway port</source>
        <translation>网关端口</translation>
    </message>
    <message>
        <source>Listen on port</source>
        <translation>监听端口</translation>
    </message>
    <message>
        <source>DTU registration packet</source>
        <translation>DTU 注册包格式</translation>
    </message>
    <message>
        <source>DTU heartbeat packet</source>
        <translation>DTU 心跳包格式</translation>
    </message>
    <message>
        <source>Platform address</source>
        <translation>平台地址</translation>
    </message>
    <message>
        <source>App key</source>
        <translation>应用 App Key</translation>
    </message>
    <message>
        <source>App secret</source>
        <translation>应用 App Secret</translation>
    </message>
    <message>
        <source>Master key</source>
        <translation>Master Key</translation>
    </message>
    <message>
        <source>Product ID</source>
        <translation>产品 ID</translation>
    </message>
    <message>
        <source>Push receiver port</source>
        <translation>推送接收端口</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Poll every</source>
        <translation>抄表间隔</translation>
    </message>
    <message>
        <source>all addresses of this PC (0.0.0.0)</source>
        <translation>本机所有地址（0.0.0.0）</translation>
    </message>
    <message>
        <source>any source; e.g. 10.8.0.0/16, 203.0.113.7</source>
        <translation>不限来源；如 10.8.0.0/16, 203.0.113.7</translation>
    </message>
    <message>
        <source>&lt;office address&gt;</source>
        <translation>&lt;物业办公室外网地址&gt;</translation>
    </message>
    <message>
        <source>made when the channel is saved</source>
        <translation>保存通道后生成</translation>
    </message>
    <message>
        <source>Listen on address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <source>Allowed sources</source>
        <translation>允许的来源网段</translation>
    </message>
    <message>
        <source>Subscription address</source>
        <translation>订阅推送地址</translation>
    </message>
</context>
<context>
    <name>Channels</name>
    <message>
        <source>Gateway port</source>
        <translation>网关端口</translation>
    </message>
    <message>
        <source>Listen port</source>
        <translation>监听端口</translation>
    </message>
    <message>
        <source>Push receive port</source>
        <translation>推送接收端口</translation>
    </message>
    <message>
        <source>the serial port (e.g. COM3)</source>
        <translation>串口（如 COM3）</translation>
    </message>
    <message>
        <source>the gateway address (IP or host name)</source>
        <translation>网关地址（IP 或主机名）</translation>
    </message>
    <message>
        <source>the platform address (e.g. https://ag-api.ctwing.cn)</source>
        <translation>平台地址（如 https://ag-api.ctwing.cn）</translation>
    </message>
    <message>
        <source>the App Key</source>
        <translation>应用 App Key</translation>
    </message>
    <message>
        <source>register packet format</source>
        <translation>注册包格式</translation>
    </message>
    <message>
        <source>heartbeat packet format</source>
        <translation>心跳包格式</translation>
    </message>
    <message>
        <source>DL/T 645 control password</source>
        <translation>DL/T 645 控制密码</translation>
    </message>
    <message>
        <source>DL/T 645 password level</source>
        <translation>DL/T 645 密码权限级别</translation>
    </message>
    <message>
        <source>DL/T 645 operator code</source>
        <translation>DL/T 645 操作者代码</translation>
    </message>
    <message>
        <source>the meter address</source>
        <translation>表地址</translation>
    </message>
</context>
<context>
    <name>ChannelsPage</name>
    <message>
        <source>Add channel …</source>
        <translation>新增通道…</translation>
    </message>
    <message>
        <source>Edit …</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <source>Delete …</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Changes reach meter reading by themselves within about half a minute: no restart needed.</source>
        <translation>修改约半分钟内自动用于抄表，无需重启。</translation>
    </message>
    <message>
        <source>Serial ports on this PC: %1</source>
        <translation>本机串口：%1</translation>
    </message>
    <message>
        <source>Delete channel</source>
        <translation>删除通道</translation>
    </message>
    <message>
        <source>Delete the channel %1?</source>
        <translation>确定删除通道 %1 吗？</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Test …</source>
        <translation>测试 …</translation>
    </message>
</context>
<context>
    <name>ChargeItemDialog</name>
    <message>
        <source>Charge item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>e.g. bin</source>
        <translation>如 个、桶</translation>
    </message>
    <message>
        <source>All buildings</source>
        <translation>全部楼栋</translation>
    </message>
    <message>
        <source>Bill this item every month</source>
        <translation>每月计费（在用）</translation>
    </message>
    <message>
        <source>Units per stall</source>
        <translation>各档位数量</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Charged</source>
        <translation>计费方式</translation>
    </message>
    <message>
        <source>Price (¥)</source>
        <translation>单价（元）</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>For</source>
        <translation>适用于</translation>
    </message>
</context>
<context>
    <name>ChargeItemsPage</name>
    <message>
        <source>Add charge item …</source>
        <translation>新增收费项目…</translation>
    </message>
    <message>
        <source>Edit …</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Delete …</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete charge item</source>
        <translation>删除收费项目</translation>
    </message>
    <message>
        <source>Delete the charge item %1? Bills already made keep it.</source>
        <translation>确定删除收费项目 %1 吗？已生成的账单不受影响。</translation>
    </message>
</context>
<context>
    <name>CloseAccountDialog</name>
    <message>
        <source>Close account of stall %1</source>
        <translation>档位 %1 销户退款</translation>
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
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>− Usage not yet settled</source>
        <translation>− 已抄表未结算</translation>
    </message>
    <message>
        <source>− Shared costs not yet issued</source>
        <translation>− 未下发的公摊</translation>
    </message>
    <message>
        <source>¥ %1 (%2 bills)</source>
        <translation>¥ %1（%2 张账单）</translation>
    </message>
    <message>
        <source>owes ¥ %1</source>
        <translation>欠费 ¥ %1</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款金额</translation>
    </message>
    <message>
        <source>Refund by</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <source>Tenant moved out</source>
        <translation>租户退租</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>The usage is settled first. Then the %1 meters are tripped / their valves closed and the account is closed; the stall can be opened again for a new tenant.</source>
        <translation>先做最终结算，扣除用电用水；然后 %1 块表分闸 / 关阀，账户销户；之后档位可为新租户重新开户。</translation>
    </message>
    <message>
        <source>Close account and refund</source>
        <translation>销户并退款</translation>
    </message>
    <message>
        <source>The stall owes money: collect it at the counter first, then close the account.</source>
        <translation>该档位欠费：请先在收银台收清欠费，再销户。</translation>
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
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Start reading</source>
        <translation>起始读数</translation>
    </message>
    <message>
        <source>End reading</source>
        <translation>截止读数</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
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
        <source>Tenant of</source>
        <translation>租用档位</translation>
    </message>
    <message>
        <source>Owner of</source>
        <translation>拥有档位</translation>
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
        <source>none: billed nothing</source>
        <translation>未设置，不计费</translation>
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
        <source>Price plan</source>
        <translation>电价/水价</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>kWh this month</source>
        <translation>本月电量 kWh</translation>
    </message>
    <message>
        <source>kWh last month</source>
        <translation>上月电量 kWh</translation>
    </message>
    <message>
        <source>kWh change</source>
        <translation>电量增减</translation>
    </message>
    <message>
        <source>Electricity ¥</source>
        <translation>电费 ¥</translation>
    </message>
    <message>
        <source>m³ this month</source>
        <translation>本月水量 m³</translation>
    </message>
    <message>
        <source>m³ last month</source>
        <translation>上月水量 m³</translation>
    </message>
    <message>
        <source>m³ change</source>
        <translation>水量增减</translation>
    </message>
    <message>
        <source>Water ¥</source>
        <translation>水费 ¥</translation>
    </message>
    <message>
        <source>Shared electricity ¥</source>
        <translation>公摊电费 ¥</translation>
    </message>
    <message>
        <source>Shared water ¥</source>
        <translation>公摊水费 ¥</translation>
    </message>
    <message>
        <source>Property ¥</source>
        <translation>物业费 ¥</translation>
    </message>
    <message>
        <source>Opening ¥</source>
        <translation>期初余额 ¥</translation>
    </message>
    <message>
        <source>Recharges ¥</source>
        <translation>充值 ¥</translation>
    </message>
    <message>
        <source>Reversals ¥</source>
        <translation>冲正 ¥</translation>
    </message>
    <message>
        <source>Refunds ¥</source>
        <translation>退款 ¥</translation>
    </message>
    <message>
        <source>Closing ¥</source>
        <translation>期末余额 ¥</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>异常提示</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Recharges</source>
        <translation>充值笔数</translation>
    </message>
    <message>
        <source>Recharged ¥</source>
        <translation>充值金额</translation>
    </message>
    <message>
        <source>Reversals</source>
        <translation>冲正笔数</translation>
    </message>
    <message>
        <source>Reversed ¥</source>
        <translation>冲正金额</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>退款笔数</translation>
    </message>
    <message>
        <source>Refunded ¥</source>
        <translation>退款金额</translation>
    </message>
    <message>
        <source>Net ¥</source>
        <translation>净额</translation>
    </message>
    <message>
        <source>Cash in drawer ¥</source>
        <translation>应有现金</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Available ¥</source>
        <translation>可用余额 ¥</translation>
    </message>
    <message>
        <source>Alarm 1 ¥</source>
        <translation>一级报警 ¥</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>What is wrong</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理办法</translation>
    </message>
    <message>
        <source>Shared cost</source>
        <translation>公摊</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>分摊方式</translation>
    </message>
    <message>
        <source>Master meter</source>
        <translation>总表</translation>
    </message>
    <message>
        <source>Additional pool: why</source>
        <translation>追加公摊原因</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Share of usage</source>
        <translation>分摊用量</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>单号</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>生成时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>%1, sent %2 times</source>
        <translation>%1，已发 %2 次</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>待执行命令</translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <source>unknown since %1</source>
        <translation>自 %1 起未知</translation>
    </message>
    <message>
        <source>%1, waiting for the meter reading service</source>
        <translation>%1，等待抄表服务</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>楼层</translation>
    </message>
    <message>
        <source>Meter address</source>
        <translation>表地址</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>告警时间</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>What was read</source>
        <translation>读到的数据</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Handled at</source>
        <translation>处理时间</translation>
    </message>
    <message>
        <source>Stalls&apos; meters</source>
        <translation>档位表合计</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损耗</translation>
    </message>
    <message>
        <source>Loss %</source>
        <translation>线损率 %</translation>
    </message>
    <message>
        <source>Above threshold</source>
        <translation>超过阈值</translation>
    </message>
</context>
<context>
    <name>Comm</name>
    <message>
        <source>The meter does not answer. Check the line</source>
        <translation>电表无应答，请检查通讯线路</translation>
    </message>
    <message>
        <source>The meter answers, but its replies fail the checksum (CRC). Check the line for interference, the earthing and the baud rate</source>
        <translation>电表有应答，但校验错误（CRC/校验和不对），请检查线路干扰、接地和波特率</translation>
    </message>
    <message>
        <source>Address {address} does not answer; only address {other} answered. Check the meter address setting</source>
        <translation>地址 {address} 无应答，只收到地址 {other} 的应答，请检查表地址设置</translation>
    </message>
    <message>
        <source>The water meter does not answer. Check its signal</source>
        <translation>水表无应答，请检查表计信号</translation>
    </message>
    <message>
        <source>The line is not connected. Check the power and network cable of the serial server / gateway</source>
        <translation>通讯通道未连接，请检查串口服务器/网关电源和网线</translation>
    </message>
    <message>
        <source>The serial port cannot be opened. Check the port name and that no other program uses it</source>
        <translation>串口打不开，请检查串口号和是否被其他程序占用</translation>
    </message>
    <message>
        <source>The device has not dialled in. Check the 4G / DTU signal and its server address setting</source>
        <translation>设备未上线（未注册到本机），请检查表计4G/DTU信号和服务器地址设置</translation>
    </message>
    <message>
        <source>The meter&apos;s reply is garbled. Check the line for interference and the meter address</source>
        <translation>电表应答报文错误，请检查线路干扰或表地址设置</translation>
    </message>
    <message>
        <source>The meter refused the command (error code {code})</source>
        <translation>电表拒绝命令（错误码 {code}）</translation>
    </message>
    <message>
        <source>The meter does not have this data item ({item}). Check the meter&apos;s protocol and model settings</source>
        <translation>电表没有该数据项（{item}），请检查表计的规约和型号设置</translation>
    </message>
    <message>
        <source>The meter refused to read {item}: {detail}</source>
        <translation>电表拒绝读取 {item}：{detail}</translation>
    </message>
    <message>
        <source>The meter is forced on and refuses to trip. Restore prepaid first</source>
        <translation>电表处于保电状态，拒绝跳闸；请先解除保电</translation>
    </message>
    <message>
        <source>The meter refused the command: wrong password or too low a level (ERR={code}). Check the DL/T 645 control password, level and operator code in the channel settings</source>
        <translation>电表拒绝命令：密码错误或权限不够（ERR={code}），请检查通道设置中的 DL/T 645 控制密码、权限级别和操作者代码</translation>
    </message>
    <message>
        <source>The meter refused the command (ERR={code}): {why}</source>
        <translation>电表拒绝命令（ERR={code}）：{why}</translation>
    </message>
    <message>
        <source>Command sent, but the relay reads back wrong (expected {expected}, found {actual}). Check on site</source>
        <translation>命令已发送，但回读继电器状态不符（期望{expected}，实际{actual}），请现场检查</translation>
    </message>
    <message>
        <source>Command sent, but the relay state cannot be read back. Read the meter again later to confirm</source>
        <translation>命令已发送，但无法回读继电器状态，请稍后重新抄表确认</translation>
    </message>
    <message>
        <source>This meter cannot do this: {action}</source>
        <translation>该表不支持此操作：{action}</translation>
    </message>
    <message>
        <source>The line has no meter at address {address}. Check the meter binding</source>
        <translation>通道中没有该表（地址 {address}），请检查表计绑定</translation>
    </message>
    <message>
        <source>The comm channel cannot be found (No. {channel_id})</source>
        <translation>找不到该通讯通道（编号 {channel_id}）</translation>
    </message>
    <message>
        <source>The China Telecom platform refused the command: {detail}</source>
        <translation>电信平台拒绝命令：{detail}</translation>
    </message>
    <message>
        <source>The China Telecom platform cannot be reached. Check the network and the platform settings: {detail}</source>
        <translation>无法连接电信平台，请检查网络和平台参数：{detail}</translation>
    </message>
    <message>
        <source>Command handed to the China Telecom platform; the water meter runs it when it next comes online</source>
        <translation>命令已提交电信平台，等待水表下次上线执行</translation>
    </message>
    <message>
        <source>The water meter could not run the command: {detail}</source>
        <translation>水表执行命令失败：{detail}</translation>
    </message>
    <message>
        <source>The water meter did not come online in time and the command expired. Send it again</source>
        <translation>水表在命令有效期内未上线，命令已过期，请重新下发</translation>
    </message>
    <message>
        <source>The comm service stopped; the command was not run</source>
        <translation>通讯服务已停止，命令未执行</translation>
    </message>
    <message>
        <source>Sent before the comm service restarted and no result came back; sent again</source>
        <translation>通讯服务重启前已发出、未收到结果，重新下发</translation>
    </message>
    <message>
        <source>The meter has no comm channel. Choose one in the meter&apos;s settings and try again</source>
        <translation>该表未绑定通讯通道，请在表计设置中选择通道后重试</translation>
    </message>
    <message>
        <source>Handed to the IoT platform; the water meter runs it when it wakes up</source>
        <translation>已下发到物联网平台，等待水表唤醒后执行</translation>
    </message>
    <message>
        <source>The comm channel was changed or disabled before the command finished. Read the meter to check, then send it again</source>
        <translation>通讯通道已修改或停用，命令未完成，请抄表确认后重新下发</translation>
    </message>
    <message>
        <source>The comm channel could not start. Check its settings: {detail}</source>
        <translation>通讯通道未能启动，请检查通道设置：{detail}</translation>
    </message>
    <message>
        <source>Internal error: the command did not finish. See the log</source>
        <translation>内部错误，命令未完成，请查看日志</translation>
    </message>
    <message>
        <source>{link}: the connection closed or timed out before registering: {detail}</source>
        <translation>{link}：连接未注册即断开/超时：{detail}</translation>
    </message>
    <message>
        <source>{link}: registration packet not recognised {packet}</source>
        <translation>{link}：无法识别的注册包 {packet}</translation>
    </message>
    <message>
        <source>4G meter {serial}, which is not set up, dialled in</source>
        <translation>未配置的4G电表 {serial} 已上线</translation>
    </message>
    <message>
        <source>DTU {dtu}, which is not set up, dialled in</source>
        <translation>未配置的DTU {dtu} 已上线</translation>
    </message>
    <message>
        <source>Refused a CTWing push from {source}: the token in the push address is wrong or missing (a forged push, or an old subscription address). Enter the push address shown in the channel settings in the CTWing subscription</source>
        <translation>拒绝来自 {source} 的电信平台推送：推送地址中的令牌不对或缺失（伪造的推送，或旧的订阅地址）；请把通道设置中显示的推送地址填入 CTWing 订阅</translation>
    </message>
    <message>
        <source>The channel has no push token yet, so the push from {source} was refused. Open the channel in Settings, save it once, then enter the push address shown there in the CTWing subscription</source>
        <translation>通道还没有推送令牌，拒绝来自 {source} 的推送；请在设置中打开该通道保存一次，再把显示的推送地址填入 CTWing 订阅</translation>
    </message>
    <message>
        <source>Refused a connection from {source}: it is not in the source networks the channel allows. If it is this market&apos;s device or platform, add its network in the channel settings</source>
        <translation>拒绝来自 {source} 的连接：不在通道允许的来源网段中；如是本市场的设备或平台，请在通道设置中加上它的网段</translation>
    </message>
    <message>
        <source>A push for device {device}, which is not a water meter of this channel, was dropped. If the meter is new, bind it in Meters first</source>
        <translation>推送中的设备 {device} 不是本通道的水表，已丢弃；如是新装的表，请先在表计中绑定</translation>
    </message>
    <message>
        <source>The device did not dial in within {seconds} s of the comm service starting. Check the 4G / DTU signal and its server address setting</source>
        <translation>设备在通讯服务启动后 {seconds} 秒内未上线（未注册到本机），请检查表计4G/DTU信号和服务器地址设置</translation>
    </message>
    <message>
        <source>{link} registered as 4G meter {serial}, but its SIM {offered} is not the registered {bound}: refused (possibly a device posing as the meter). If the SIM was changed, an administrator accepts the new identity in Meters</source>
        <translation>{link} 以4G电表 {serial} 的表号注册，但 SIM 卡号 {offered} 与登记的 {bound} 不符，已拒绝（可能是冒充的设备）；如确是换了卡，请管理员在表计中接受新身份</translation>
    </message>
    <message>
        <source>4G meter {serial} is online ({current}); {link} registered with the same serial and was refused: a live connection is not handed over (possibly a device posing as the meter)</source>
        <translation>4G电表 {serial} 已在线（{current}），{link} 又以同一表号注册，已拒绝：在线的连接不让出（可能是冒充的设备）</translation>
    </message>
    <message>
        <source>4G meter {serial}: identity conflict, {count} attempts to take over its connection within {minutes} minutes. An administrator checks it, then accepts the new identity or clears it in Meters</source>
        <translation>4G电表 {serial} 身份冲突：{minutes} 分钟内有 {count} 次以同一表号抢占连接；请管理员核实后在表计中接受新身份或清除</translation>
    </message>
    <message>
        <source>Water meter {device} reported a time {minutes} minutes ahead of this PC&apos;s clock; the reading is stored with the time it was received. Check the platform&apos;s or the meter&apos;s clock</source>
        <translation>水表 {device} 上报的时间比本机时钟快 {minutes} 分钟，读数按接收时间保存；请检查平台或表计时钟</translation>
    </message>
    <message>
        <source>The meter&apos;s reply is garbled. Check the line for interference and the meter address: {detail}</source>
        <translation>电表应答报文错误，请检查线路干扰或表地址设置: {detail}</translation>
    </message>
    <message>
        <source>The line is not connected. Check the power and network cable of the serial server / gateway: {detail}</source>
        <translation>通讯通道未连接，请检查串口服务器/网关电源和网线: {detail}</translation>
    </message>
    <message>
        <source>The meter answers, but its replies fail the checksum (CRC). Check the line for interference, the earthing and the baud rate ({detail})</source>
        <translation>电表有应答，但校验错误（CRC/校验和不对），请检查线路干扰、接地和波特率（{detail}）</translation>
    </message>
    <message>
        <source>The meter is forced on and refuses to trip. Restore prepaid first (ERR={code})</source>
        <translation>电表处于保电状态，拒绝跳闸；请先解除保电（ERR={code}）</translation>
    </message>
    <message>
        <source>The meter refused the command (error code {code}): {why}</source>
        <translation>电表拒绝命令（错误码 {code}）: {why}</translation>
    </message>
    <message>
        <source>Command sent, but the relay reads back wrong (expected {expected}, found {actual}). Check on site; {detail}</source>
        <translation>命令已发送，但回读继电器状态不符（期望{expected}，实际{actual}），请现场检查；{detail}</translation>
    </message>
    <message>
        <source>relay is {actual}, expected {expected}</source>
        <translation>继电器为{actual}，应为{expected}</translation>
    </message>
    <message>
        <source>the meter does not report its relay state (status word 3)</source>
        <translation>电表不报告继电器状态（状态字3）</translation>
    </message>
    <message>
        <source>forced mode is {actual}, expected {expected}</source>
        <translation>保电状态为{actual}，应为{expected}</translation>
    </message>
    <message>
        <source>{di} {name}</source>
        <translation>{di} {name}</translation>
    </message>
    <message>
        <source>1B close allowed: some meters close only after the user presses the button</source>
        <translation>1B 合闸允许：部分电表需用户按键后才合闸</translation>
    </message>
    <message>
        <source>Reading the commands to run failed: {detail}</source>
        <translation>读取待执行命令失败: {detail}</translation>
    </message>
    <message>
        <source>Saving the comm results failed: {detail}</source>
        <translation>保存通讯结果失败: {detail}</translation>
    </message>
    <message>
        <source>A China Telecom platform push could not be read: {detail}</source>
        <translation>电信平台推送无法解析: {detail}</translation>
    </message>
    <message>
        <source>Water meter alarm ({severity}): {content}</source>
        <translation>水表告警 ({severity}): {content}</translation>
    </message>
    <message>
        <source>The meter&apos;s reply is garbled. Check the line for interference and the meter address: the Modbus reply of a data upload has no CRC, which the meter&apos;s profile requires ([acrel4g] upload_crc_optional)</source>
        <translation>电表应答报文错误，请检查线路干扰或表地址设置: 数据上传的 Modbus 应答没有 CRC，而该表的表型设置要求 CRC（[acrel4g] upload_crc_optional）</translation>
    </message>
    <message>
        <source>DTU {dtu} online</source>
        <translation>DTU {dtu} 已上线</translation>
    </message>
    <message>
        <source>DTU {dtu} disconnected</source>
        <translation>DTU {dtu} 已断开</translation>
    </message>
    <message>
        <source>{online}/{total} 4G meters online</source>
        <translation>{online}/{total} 台4G电表在线</translation>
    </message>
    <message>
        <source>Push address {url}</source>
        <translation>推送地址 {url}</translation>
    </message>
    <message>
        <source>{link}: {why}</source>
        <translation>{link}: {why}</translation>
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
        <source>{reason} (attempt {attempts} failed; tried again automatically in about {minutes} min)</source>
        <translation>{reason}（第 {attempts} 次未成功，约 {minutes} 分钟后自动重试）</translation>
    </message>
    <message>
        <source>The meter is no longer under prepaid control; the trip is withdrawn</source>
        <translation>表已不在预付费控制下，撤销分闸</translation>
    </message>
    <message>
        <source>The available balance is back at {available} yuan; the trip is withdrawn</source>
        <translation>可用余额 {available} 元已恢复，撤销分闸</translation>
    </message>
    <message>
        <source>No power cut in the friendly period; the trip waits</source>
        <translation>友好时段内不断电，暂不分闸</translation>
    </message>
    <message>
        <source>{first}; {rest}</source>
        <translation>{first}；{rest}</translation>
    </message>
    <message>
        <source>power on</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>tripped</source>
        <translation>分闸</translation>
    </message>
    <message>
        <source>valve open</source>
        <translation>开阀</translation>
    </message>
    <message>
        <source>valve closed</source>
        <translation>关阀</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>trip</source>
        <translation>分闸</translation>
    </message>
    <message>
        <source>close</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>forced on</source>
        <translation>保电</translation>
    </message>
    <message>
        <source>forced off</source>
        <translation>强制分闸</translation>
    </message>
    <message>
        <source>restore prepaid</source>
        <translation>恢复预付费</translation>
    </message>
    <message>
        <source>open valve</source>
        <translation>开阀</translation>
    </message>
    <message>
        <source>close valve</source>
        <translation>关阀</translation>
    </message>
    <message>
        <source>read now</source>
        <translation>立即抄表</translation>
    </message>
    <message>
        <source>not hex: “{text}”. Type pairs of hex digits 0-9 A-F, e.g. 01 03 02 00</source>
        <translation>不是十六进制：“{text}”。请输入成对的十六进制数字 0-9 A-F，例如 01 03 02 00</translation>
    </message>
    <message>
        <source>odd number of hex digits ({count}): each byte is two digits, e.g. 01 03</source>
        <translation>十六进制数字个数为奇数（{count} 个）：每个字节两位，例如 01 03</translation>
    </message>
</context>
<context>
    <name>CommBridge</name>
    <message>
        <source>Meter reading has stopped (the collection process ended with code %1). Restart MarketMeter; if it stops again, give this log file to your administrator: %2</source>
        <translation>抄表已停止（抄表进程退出，代码 %1）。请重新启动 MarketMeter；如果再次停止，请把这个日志文件交给管理员：%2</translation>
    </message>
    <message>
        <source>Meter reading service has stopped for %1 minutes (on %2)</source>
        <translation>抄表服务已停止 %1 分钟（在 %2）</translation>
    </message>
</context>
<context>
    <name>CommFrames</name>
    <message>
        <source>{count} stale bytes dropped before the request</source>
        <translation>丢弃 {count} 字节残留数据</translation>
    </message>
    <message>
        <source>timed out: incomplete reply, {count} bytes</source>
        <translation>超时，不完整的应答 {count} 字节</translation>
    </message>
    <message>
        <source>{count} bytes skipped (garbage or bad checksum): {why}</source>
        <translation>跳过 {count} 字节乱码/校验错误：{why}</translation>
    </message>
    <message>
        <source>{count} bytes more after the reply</source>
        <translation>应答后多余 {count} 字节</translation>
    </message>
    <message>
        <source>{meaning} (retry {attempt})</source>
        <translation>{meaning}（重试 {attempt}）</translation>
    </message>
    <message>
        <source>not the reply to this request, ignored: {meaning}</source>
        <translation>非本次请求的应答，忽略：{meaning}</translation>
    </message>
    <message>
        <source>push refused (403)</source>
        <translation>推送已拒绝（403）</translation>
    </message>
    <message>
        <source>push not understood: {problem}</source>
        <translation>无法解析的推送：{problem}</translation>
    </message>
    <message>
        <source>push from device {device}, which is not bound</source>
        <translation>未绑定的设备 {device} 的推送</translation>
    </message>
    <message>
        <source>device online</source>
        <translation>设备上线</translation>
    </message>
    <message>
        <source>device offline</source>
        <translation>设备下线</translation>
    </message>
    <message>
        <source>dataReport not readable: {problem}</source>
        <translation>dataReport 无法读取：{problem}</translation>
    </message>
    <message>
        <source>dataReport (no total volume)</source>
        <translation>dataReport（无累计流量）</translation>
    </message>
    <message>
        <source>dataReport total {total}, {valve}, battery {battery} V, RSRP {rsrp}</source>
        <translation>dataReport 累计 {total}，{valve}，电池 {battery} V，RSRP {rsrp}</translation>
    </message>
    <message>
        <source>valve unknown</source>
        <translation>阀门状态未知</translation>
    </message>
    <message>
        <source>CreateCommand {action} → {address} | {content}</source>
        <translation>CreateCommand {action} → {address} | {content}</translation>
    </message>
    <message>
        <source>the platform accepted the command commandId={command_id} ({status})</source>
        <translation>平台已接收命令 commandId={command_id} ({status})</translation>
    </message>
    <message>
        <source>registration answer: {meaning}</source>
        <translation>注册应答：{meaning}</translation>
    </message>
    <message>
        <source>{count} garbled bytes skipped: {why}</source>
        <translation>跳过 {count} 字节乱码：{why}</translation>
    </message>
    <message>
        <source>{meaning} (ignored)</source>
        <translation>{meaning}（忽略）</translation>
    </message>
    <message>
        <source>{meaning}: counted as the write&apos;s acknowledgement</source>
        <translation>{meaning}：视为写命令已确认</translation>
    </message>
    <message>
        <source>DTU heartbeat ×{count} (absorbed)</source>
        <translation>DTU 心跳 ×{count}</translation>
    </message>
    <message>
        <source>DTU {dtu} registers again</source>
        <translation>DTU {dtu} 重新注册</translation>
    </message>
    <message>
        <source>DTU {dtu} registration</source>
        <translation>DTU {dtu} 注册</translation>
    </message>
    <message>
        <source>{meaning} (password not logged: its bytes show as FF FF FF)</source>
        <translation>{meaning}（密码不记录，日志中显示为 FF FF FF）</translation>
    </message>
    <message>
        <source>Acrel 4G register from {serial}: ICCID {iccid}, RSSI {rssi}, firmware {firmware}, reports every {minutes} min</source>
        <translation>安科瑞4G 注册，表号 {serial}：ICCID {iccid}，信号 {rssi}，固件 {firmware}，每 {minutes} 分钟上报</translation>
    </message>
    <message>
        <source>Acrel 4G acknowledgement of {what}</source>
        <translation>安科瑞4G 确认{what}</translation>
    </message>
    <message>
        <source>command {code}</source>
        <translation>命令 {code}</translation>
    </message>
    <message>
        <source>Acrel 4G heartbeat{extra}</source>
        <translation>安科瑞4G 心跳{extra}</translation>
    </message>
    <message>
        <source>Acrel 4G time-sync request</source>
        <translation>安科瑞4G 请求校时</translation>
    </message>
    <message>
        <source>Acrel 4G time-sync request from {serial}</source>
        <translation>安科瑞4G 请求校时，表号 {serial}</translation>
    </message>
    <message>
        <source>Acrel 4G time sync: {at}</source>
        <translation>安科瑞4G 校时: {at}</translation>
    </message>
    <message>
        <source>meter {meter}: {count} registers</source>
        <translation>表 {meter}：{count} 个寄存器</translation>
    </message>
    <message>
        <source>{part} (no CRC)</source>
        <translation>{part}（无 CRC）</translation>
    </message>
    <message>
        <source>{part}, invalid meter clock ({problem})</source>
        <translation>{part}，电表时钟无效（{problem}）</translation>
    </message>
    <message>
        <source>{part}, meter clock {clock}</source>
        <translation>{part}，电表时钟 {clock}</translation>
    </message>
    <message>
        <source>meter {meter}: invalid RTU response ({problem})</source>
        <translation>表 {meter}：RTU 应答无效（{problem}）</translation>
    </message>
    <message>
        <source>Acrel 4G data upload: {parts}</source>
        <translation>安科瑞4G 数据上传：{parts}</translation>
    </message>
    <message>
        <source>Acrel 4G data upload from {serial}: {parts}</source>
        <translation>安科瑞4G 数据上传，表号 {serial}：{parts}</translation>
    </message>
    <message>
        <source>Acrel 4G downlink answer from {serial}: the serial only, no Modbus reply (some firmwares acknowledge a write so)</source>
        <translation>安科瑞4G 下行应答，表号 {serial}：只有表号，无 Modbus 应答（部分固件以此确认写命令）</translation>
    </message>
    <message>
        <source>Acrel 4G downlink: Modbus RTU {role} {inner}</source>
        <translation>安科瑞4G 下行：Modbus RTU {role} {inner}</translation>
    </message>
    <message>
        <source>Acrel 4G downlink from {serial}: Modbus RTU {role} {inner}</source>
        <translation>安科瑞4G 下行，表号 {serial}：Modbus RTU {role} {inner}</translation>
    </message>
    <message>
        <source>Acrel 4G downlink with an invalid RTU frame {frame}</source>
        <translation>安科瑞4G 下行，RTU 报文无效 {frame}</translation>
    </message>
    <message>
        <source>Acrel 4G command {code} (not interpreted), payload {payload}</source>
        <translation>安科瑞4G 命令 {code}（未解析），数据 {payload}</translation>
    </message>
    <message>
        <source>relay {relay}, last relay command {command}, pre-trip alarm {alarm}, {protection} {protected}, {meter_type} meter</source>
        <translation>继电器{relay}，最近继电器命令{command}，预跳闸报警{alarm}，{protection}{protected}，{meter_type}表</translation>
    </message>
    <message>
        <source>trip</source>
        <translation>跳闸</translation>
    </message>
    <message>
        <source>close</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>{protocol} request to {address}: read {di}</source>
        <translation>{protocol} 请求 {address}：读 {di}</translation>
    </message>
    <message>
        <source>{protocol} request to {address}: read {di} ({name})</source>
        <translation>{protocol} 请求 {address}：读 {di}（{name}）</translation>
    </message>
    <message>
        <source>{protocol} request to {address}: read follow-up of {di}{seq}</source>
        <translation>{protocol} 请求 {address}：读 {di} 的后续数据{seq}</translation>
    </message>
    <message>
        <source>{protocol} reply from {address}: read {di}</source>
        <translation>{protocol} 应答 {address}：读 {di}</translation>
    </message>
    <message>
        <source>{head} = {payload} (data identifier not in our table)</source>
        <translation>{head} = {payload}（数据标识不在本程序的表中）</translation>
    </message>
    <message>
        <source>{head} {name}: invalid value: {problem}</source>
        <translation>{head} {name}：数值无效：{problem}</translation>
    </message>
    <message>
        <source>{meaning} (more frames follow)</source>
        <translation>{meaning}（还有后续帧）</translation>
    </message>
    <message>
        <source>{meaning} (follow-up SEQ {seq})</source>
        <translation>{meaning}（后续帧 SEQ {seq}）</translation>
    </message>
    <message>
        <source>{protocol} error reply from {address} to {function} ({code}): ERR={err} {explanation}</source>
        <translation>{protocol} 异常应答 {address}，拒绝{function}（{code}）：ERR={err} {explanation}</translation>
    </message>
    <message>
        <source>DL/T 645-2007 request to {address}: read address</source>
        <translation>DL/T 645-2007 请求 {address}：读通信地址</translation>
    </message>
    <message>
        <source>DL/T 645-2007 reply: meter address is {address}</source>
        <translation>DL/T 645-2007 应答：电表通信地址为 {address}</translation>
    </message>
    <message>
        <source>DL/T 645 broadcast time to all meters: {at}</source>
        <translation>DL/T 645 广播校时（所有电表）：{at}</translation>
    </message>
    <message>
        <source>DL/T 645-2007 request to {address}: relay control {code} {meaning}, password level {level}, operator {operator}, valid until {until}</source>
        <translation>DL/T 645-2007 请求 {address}：控制命令 {code} {meaning}，密码权限 {level}，操作者 {operator}，有效期至 {until}</translation>
    </message>
    <message>
        <source>unknown control type {code}</source>
        <translation>未知控制类型 {code}</translation>
    </message>
    <message>
        <source>{protocol} reply from {address}: {name} accepted</source>
        <translation>{protocol} 应答 {address}：{name} 已执行</translation>
    </message>
    <message>
        <source>function {code}</source>
        <translation>功能 {code}</translation>
    </message>
    <message>
        <source>{protocol} reply from {address}: {name} (C={control}), data {data}</source>
        <translation>{protocol} 应答 {address}：{name}（C={control}），数据 {data}</translation>
    </message>
    <message>
        <source>{protocol} request to {address}: {name} (C={control}), data {data}</source>
        <translation>{protocol} 请求 {address}：{name}（C={control}），数据 {data}</translation>
    </message>
    <message>
        <source>read {count} register(s) {first}-{last} ({fc}) from slave {slave}</source>
        <translation>从站 {slave} 读 {count} 个寄存器 {first}-{last}（{fc}）</translation>
    </message>
    <message>
        <source>slave {slave} answers {fc} with {count} register(s)</source>
        <translation>从站 {slave} 应答 {fc}：{count} 个寄存器</translation>
    </message>
    <message>
        <source>write {count} register(s) from {start} = [{values}] (FC10) to slave {slave}</source>
        <translation>向从站 {slave} 写 {count} 个寄存器，自 {start} 起 = [{values}]（FC10）</translation>
    </message>
    <message>
        <source>slave {slave} confirms writing {count} register(s) from {start} (FC10)</source>
        <translation>从站 {slave} 确认已写 {count} 个寄存器，自 {start} 起（FC10）</translation>
    </message>
    <message>
        <source>slave {slave} refuses {fc}: {why}</source>
        <translation>从站 {slave} 拒绝 {fc}：{why}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>CommMonitorView</name>
    <message>
        <source>Filter: type any part of a channel, meter address, frame or meaning …</source>
        <translation>筛选：输入通道、表地址、报文或含义的任意部分…</translation>
    </message>
    <message>
        <source>Filter: type any part of a channel&apos;s name or kind …</source>
        <translation>筛选：输入通道名称或类型的任意部分…</translation>
    </message>
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
        <source>Collection is running in a background process of this program (its log: %1).</source>
        <translation>本程序正在后台进程中抄表（日志：%1）。</translation>
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
    <name>CommTerms</name>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>security authentication</source>
        <translation>安全认证</translation>
    </message>
    <message>
        <source>broadcast time</source>
        <translation>广播校时</translation>
    </message>
    <message>
        <source>read data</source>
        <translation>读数据</translation>
    </message>
    <message>
        <source>read follow-up data</source>
        <translation>读后续数据</translation>
    </message>
    <message>
        <source>reread data</source>
        <translation>重读数据</translation>
    </message>
    <message>
        <source>read address</source>
        <translation>读通信地址</translation>
    </message>
    <message>
        <source>write data</source>
        <translation>写数据</translation>
    </message>
    <message>
        <source>write address</source>
        <translation>写通信地址</translation>
    </message>
    <message>
        <source>freeze</source>
        <translation>冻结命令</translation>
    </message>
    <message>
        <source>change baud rate</source>
        <translation>更改通信速率</translation>
    </message>
    <message>
        <source>change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>clear max demand</source>
        <translation>最大需量清零</translation>
    </message>
    <message>
        <source>clear meter</source>
        <translation>电表清零</translation>
    </message>
    <message>
        <source>clear events</source>
        <translation>事件清零</translation>
    </message>
    <message>
        <source>relay control</source>
        <translation>跳合闸、报警、保电控制</translation>
    </message>
    <message>
        <source>multi-function terminal output</source>
        <translation>多功能端子输出控制</translation>
    </message>
    <message>
        <source>unknown function</source>
        <translation>未知功能</translation>
    </message>
    <message>
        <source>other error</source>
        <translation>其他错误</translation>
    </message>
    <message>
        <source>no requested data (the meter does not have this data identifier)</source>
        <translation>无请求数据（电表没有该数据标识）</translation>
    </message>
    <message>
        <source>wrong password or not authorised</source>
        <translation>密码错误或未授权</translation>
    </message>
    <message>
        <source>baud rate cannot be changed</source>
        <translation>通信速率不能更改</translation>
    </message>
    <message>
        <source>year time-zone count exceeded</source>
        <translation>年时区数超</translation>
    </message>
    <message>
        <source>day time-period count exceeded</source>
        <translation>日时段数超</translation>
    </message>
    <message>
        <source>tariff count exceeded</source>
        <translation>费率数超</translation>
    </message>
    <message>
        <source>reserved bit set</source>
        <translation>保留位被置位</translation>
    </message>
    <message>
        <source>illegal data</source>
        <translation>非法数据</translation>
    </message>
    <message>
        <source>wrong data identifier</source>
        <translation>数据标识错</translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation>密码错</translation>
    </message>
    <message>
        <source>no reason given (ERR = 00)</source>
        <translation>未给出原因（ERR = 00）</translation>
    </message>
    <message>
        <source>trip with automatic restore (vendor extension)</source>
        <translation>跳闸自动恢复（厂家扩展）</translation>
    </message>
    <message>
        <source>combined active total energy</source>
        <translation>组合有功总电能</translation>
    </message>
    <message>
        <source>forward active total energy</source>
        <translation>正向有功总电能</translation>
    </message>
    <message>
        <source>forward active energy block (total, tariffs)</source>
        <translation>正向有功电能数据块（总、各费率）</translation>
    </message>
    <message>
        <source>reverse active total energy</source>
        <translation>反向有功总电能</translation>
    </message>
    <message>
        <source>voltage A</source>
        <translation>A相电压</translation>
    </message>
    <message>
        <source>voltage B</source>
        <translation>B相电压</translation>
    </message>
    <message>
        <source>voltage C</source>
        <translation>C相电压</translation>
    </message>
    <message>
        <source>voltage block A/B/C</source>
        <translation>电压数据块 A/B/C</translation>
    </message>
    <message>
        <source>current A</source>
        <translation>A相电流</translation>
    </message>
    <message>
        <source>current B</source>
        <translation>B相电流</translation>
    </message>
    <message>
        <source>current C</source>
        <translation>C相电流</translation>
    </message>
    <message>
        <source>current block A/B/C</source>
        <translation>电流数据块 A/B/C</translation>
    </message>
    <message>
        <source>active power total</source>
        <translation>总有功功率</translation>
    </message>
    <message>
        <source>active power A</source>
        <translation>A相有功功率</translation>
    </message>
    <message>
        <source>active power B</source>
        <translation>B相有功功率</translation>
    </message>
    <message>
        <source>active power C</source>
        <translation>C相有功功率</translation>
    </message>
    <message>
        <source>active power block total/A/B/C</source>
        <translation>有功功率数据块 总/A/B/C</translation>
    </message>
    <message>
        <source>reactive power total</source>
        <translation>总无功功率</translation>
    </message>
    <message>
        <source>apparent power total</source>
        <translation>总视在功率</translation>
    </message>
    <message>
        <source>power factor total</source>
        <translation>总功率因数</translation>
    </message>
    <message>
        <source>grid frequency</source>
        <translation>电网频率</translation>
    </message>
    <message>
        <source>date and weekday</source>
        <translation>日期及星期</translation>
    </message>
    <message>
        <source>time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>communication address</source>
        <translation>通信地址</translation>
    </message>
    <message>
        <source>meter number</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>status word 1</source>
        <translation>状态字1</translation>
    </message>
    <message>
        <source>status word 2</source>
        <translation>状态字2</translation>
    </message>
    <message>
        <source>status word 3 (operation)</source>
        <translation>状态字3（运行）</translation>
    </message>
    <message>
        <source>status word 4</source>
        <translation>状态字4</translation>
    </message>
    <message>
        <source>status word 5</source>
        <translation>状态字5</translation>
    </message>
    <message>
        <source>status word 6</source>
        <translation>状态字6</translation>
    </message>
    <message>
        <source>status word 7</source>
        <translation>状态字7</translation>
    </message>
    <message>
        <source>status words 1-7</source>
        <translation>状态字1-7</translation>
    </message>
    <message>
        <source>alarm amount 1 limit</source>
        <translation>报警金额1限值</translation>
    </message>
    <message>
        <source>alarm amount 2 limit</source>
        <translation>报警金额2限值</translation>
    </message>
    <message>
        <source>overdraft amount limit</source>
        <translation>透支金额限值</translation>
    </message>
    <message>
        <source>hoarding amount limit</source>
        <translation>囤积金额限值</translation>
    </message>
    <message>
        <source>close-allowed amount limit</source>
        <translation>合闸允许金额限值</translation>
    </message>
    <message>
        <source>non-prepaid</source>
        <translation>非预付费</translation>
    </message>
    <message>
        <source>energy-prepaid</source>
        <translation>电量型预付费</translation>
    </message>
    <message>
        <source>money-prepaid</source>
        <translation>电费型预付费</translation>
    </message>
    <message>
        <source>reserved</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <source>illegal function: the meter does not support this function code</source>
        <translation>非法功能：电表不支持该功能码</translation>
    </message>
    <message>
        <source>illegal data address: the register is not in this meter&apos;s map (wrong profile or firmware?)</source>
        <translation>非法数据地址：电表没有该寄存器（表型或固件不对？）</translation>
    </message>
    <message>
        <source>illegal data value: the meter refused a value or quantity in the request</source>
        <translation>非法数据值：电表拒绝了请求中的数值或数量</translation>
    </message>
    <message>
        <source>slave device failure: the meter failed while executing the request</source>
        <translation>从站设备故障：电表执行请求时出错</translation>
    </message>
    <message>
        <source>acknowledge: the meter accepted a long request and is still working on it</source>
        <translation>确认：电表已接受耗时请求，仍在处理</translation>
    </message>
    <message>
        <source>slave device busy: try again later</source>
        <translation>从站设备忙：请稍后再试</translation>
    </message>
    <message>
        <source>memory parity error in the meter</source>
        <translation>电表存储奇偶校验错误</translation>
    </message>
    <message>
        <source>gateway path unavailable: the gateway has no route to this slave</source>
        <translation>网关路径不可用：网关没有到该从站的路由</translation>
    </message>
    <message>
        <source>gateway target device failed to respond: the meter behind the gateway is silent</source>
        <translation>网关目标设备无应答：网关后面的电表不回应</translation>
    </message>
    <message>
        <source>downlink (Modbus RTU inside)</source>
        <translation>下行（内含 Modbus RTU）</translation>
    </message>
    <message>
        <source>data upload</source>
        <translation>数据上传</translation>
    </message>
    <message>
        <source>time sync</source>
        <translation>校时</translation>
    </message>
    <message>
        <source>register</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>heartbeat</source>
        <translation>心跳</translation>
    </message>
    <message>
        <source>request</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>response</source>
        <translation>应答</translation>
    </message>
    <message>
        <source>trip</source>
        <translation>跳闸</translation>
    </message>
    <message>
        <source>close allowed (the relay closes when the user presses the button or the meter allows)</source>
        <translation>合闸允许（用户按键或电表允许时合闸）</translation>
    </message>
    <message>
        <source>direct close</source>
        <translation>直接合闸</translation>
    </message>
    <message>
        <source>alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>alarm release</source>
        <translation>报警解除</translation>
    </message>
    <message>
        <source>supply protection on (trip commands are rejected)</source>
        <translation>保电（拒绝跳闸命令）</translation>
    </message>
    <message>
        <source>supply protection release</source>
        <translation>保电解除</translation>
    </message>
    <message>
        <source>forward active energy tariff 1 (sharp)</source>
        <translation>正向有功费率1（尖）电能</translation>
    </message>
    <message>
        <source>forward active energy tariff 2 (peak)</source>
        <translation>正向有功费率2（峰）电能</translation>
    </message>
    <message>
        <source>forward active energy tariff 3 (flat)</source>
        <translation>正向有功费率3（平）电能</translation>
    </message>
    <message>
        <source>forward active energy tariff 4 (valley)</source>
        <translation>正向有功费率4（谷）电能</translation>
    </message>
    <message>
        <source>remaining money</source>
        <translation>剩余金额</translation>
    </message>
    <message>
        <source>open</source>
        <translation>断</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>通</translation>
    </message>
    <message>
        <source>supply protection</source>
        <translation>保电</translation>
    </message>
    <message>
        <source>cover-open count</source>
        <translation>开表盖总次数</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>Meter (id {meter_id}) not found</source>
        <translation>表（编号 {meter_id}）不存在</translation>
    </message>
    <message>
        <source>Meter {address} cannot {action}</source>
        <translation>表 {address} 不支持{action}</translation>
    </message>
    <message>
        <source>The same command is already running</source>
        <translation>已有同样的指令在执行</translation>
    </message>
    <message>
        <source>Meter {address} is already in the state of “{action}”</source>
        <translation>表 {address} 已是{action}状态</translation>
    </message>
    <message>
        <source>Available balance ¥{available} is below the overdraft limit of −¥{limit}</source>
        <translation>可用余额 {available} 元低于透支额度 −{limit} 元</translation>
    </message>
    <message>
        <source>Available balance ¥{available} is restored</source>
        <translation>可用余额 {available} 元已恢复</translation>
    </message>
    <message>
        <source>The balance changed; the command was withdrawn</source>
        <translation>余额变化，指令已撤销</translation>
    </message>
    <message>
        <source>Replaced by a person&apos;s control command</source>
        <translation>已被人工控制指令取代</translation>
    </message>
    <message>
        <source>The control mode was changed</source>
        <translation>控制方式已改变</translation>
    </message>
    <message>
        <source>Meter taken out of use</source>
        <translation>表计已停用</translation>
    </message>
    <message>
        <source>Meter replaced</source>
        <translation>已换表</translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <source>New customer</source>
        <translation>新增客户</translation>
    </message>
    <message>
        <source>Edit customer %1</source>
        <translation>修改客户 %1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>CustomerPicker</name>
    <message>
        <source>Type to find a customer</source>
        <translation>输入姓名或电话查找</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>New customer: added when you save</source>
        <translation>新客户：保存时添加</translation>
    </message>
    <message>
        <source>Existing customer</source>
        <translation>已有客户</translation>
    </message>
    <message>
        <source>tenant of %1</source>
        <translation>租用 %1</translation>
    </message>
    <message>
        <source>owner of %1</source>
        <translation>拥有 %1</translation>
    </message>
    <message>
        <source>Their phone will be changed to %1</source>
        <translation>该客户的电话将改为 %1</translation>
    </message>
</context>
<context>
    <name>CustomersView</name>
    <message>
        <source>Filter: type any part of a name, phone or stall code …</source>
        <translation>筛选：输入姓名、电话或档位号的任意部分…</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Add customer …</source>
        <translation>新增客户…</translation>
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
        <source>Only an administrator can change customers.</source>
        <translation>只有管理员可以修改客户。</translation>
    </message>
    <message>
        <source>Click a customer in the list first.</source>
        <translation>请先在列表中点选一个客户。</translation>
    </message>
    <message>
        <source>Delete customer</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <source>Delete the customer %1 (%2)? Only a customer who no longer rents or owns a stall can be deleted.</source>
        <translation>确定删除客户 %1（%2）吗？只有不再租用或拥有任何档位的客户才能删除。</translation>
    </message>
    <message>
        <source>no phone</source>
        <translation>无电话</translation>
    </message>
</context>
<context>
    <name>DayListDialog</name>
    <message>
        <source>Electricity used on %1, per meter</source>
        <translation>%1 各表用电量</translation>
    </message>
    <message>
        <source>Water used on %1, per meter</source>
        <translation>%1 各表用水量</translation>
    </message>
    <message>
        <source>Recharges on %1</source>
        <translation>%1 的充值</translation>
    </message>
    <message>
        <source>Power and water cut or given back on %1</source>
        <translation>%1 的断电/关阀与合闸/开阀</translation>
    </message>
    <message>
        <source>%1 meters, %2 %3 in all</source>
        <translation>共 %1 块表，合计 %2 %3</translation>
    </message>
    <message>
        <source>%1 recharges, ¥ %2 in all</source>
        <translation>共 %1 笔充值，合计 ¥ %2</translation>
    </message>
    <message>
        <source>%1 commands</source>
        <translation>共 %1 条命令</translation>
    </message>
</context>
<context>
    <name>DemoFill</name>
    <message>
        <source>Generating the demo data %p%</source>
        <translation>正在生成演示数据 %p%</translation>
    </message>
    <message>
        <source>The demo data could not be generated:</source>
        <translation>演示数据未能生成：</translation>
    </message>
</context>
<context>
    <name>Documents</name>
    <message>
        <source>Page {number} of {total}</source>
        <translation>第 {number} 页 / 共 {total} 页</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Payment notice</source>
        <translation>缴费通知单</translation>
    </message>
    <message>
        <source>To: {to}</source>
        <translation>致：{to}</translation>
    </message>
    <message>
        <source>No stall needs a notice</source>
        <translation>没有需要通知的档位</translation>
    </message>
    <message>
        <source>Operation log</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <source>Import check report</source>
        <translation>导入检查报告</translation>
    </message>
    <message>
        <source>{kind} import template</source>
        <translation>{kind}导入模板</translation>
    </message>
    <message>
        <source>{name}_check report</source>
        <translation>{name}_检查报告</translation>
    </message>
    <message>
        <source>Monthly report review history</source>
        <translation>月报表审核记录</translation>
    </message>
    <message>
        <source>{month} monthly ledger</source>
        <translation>{month} 月报表台账</translation>
    </message>
    <message>
        <source>{site}_{month}_monthly report</source>
        <translation>{site}_{month}_月报表</translation>
    </message>
    <message>
        <source>Building: {building}</source>
        <translation>楼栋：{building}</translation>
    </message>
    <message>
        <source>Usage report</source>
        <translation>用量报表</translation>
    </message>
    <message>
        <source>Usage report {first} to {last}</source>
        <translation>用量报表 {first} 至 {last}</translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <translation>{first} 至 {last}</translation>
    </message>
    <message>
        <source>Shift report</source>
        <translation>交班报表</translation>
    </message>
    <message>
        <source>By cashier and payment method</source>
        <translation>按收银员、支付方式</translation>
    </message>
    <message>
        <source>Totals by cashier</source>
        <translation>按收银员合计</translation>
    </message>
    <message>
        <source>Totals by payment method</source>
        <translation>按支付方式合计</translation>
    </message>
    <message>
        <source>Cash due {cash} yuan (cash recharges less cash reversals and cash refunds)</source>
        <translation>应有现金 {cash} 元（现金充值减现金冲正、现金退款）</translation>
    </message>
    <message>
        <source>Handed over by: ______________    Taken over by: ______________</source>
        <translation>交班人签字：______________    接班人签字：______________</translation>
    </message>
    <message>
        <source>Arrears and low balance list</source>
        <translation>欠费及低余额名单</translation>
    </message>
    <message>
        <source>Arrears and low balance list {day}</source>
        <translation>欠费及低余额名单 {day}</translation>
    </message>
    <message>
        <source>Payment notices</source>
        <translation>缴费通知单</translation>
    </message>
    <message>
        <source>{count} stalls in all</source>
        <translation>共 {count} 户</translation>
    </message>
    <message>
        <source>Shared cost settings</source>
        <translation>公摊设置</translation>
    </message>
    <message>
        <source>Shared cost preview</source>
        <translation>公摊预览</translation>
    </message>
    <message>
        <source>Shared cost runs</source>
        <translation>公摊单</translation>
    </message>
    <message>
        <source>Scan to see the balance, bills and usage, and to bind the stall to your phone</source>
        <translation>扫码查看余额、账单和用量，并把档位绑定到您的手机</translation>
    </message>
    <message>
        <source>Stall plates of {site}</source>
        <translation>{site} 档位牌</translation>
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
    <message>
        <source>The database already holds market data; the demo market can only be built in an empty database. Use another database file (--db)</source>
        <translation>数据库中已有市场数据；演示市场只能建在空数据库上，请换一个数据库文件（--db）</translation>
    </message>
    <message>
        <source>Meter counts cannot be negative or both zero, and the months must be at least 1. Change the numbers</source>
        <translation>电表数、水表数不能为负且不能都为零，月数至少为 1</translation>
    </message>
    <message>
        <source>The database “{where}” was made by another version of MarketMeter (schema {p2}), most likely a newer one: this version reads schemas up to {head}. It cannot use it and has not changed it. Open it with the version that made it, or ask your administrator for a version that can read schema {p2}.</source>
        <translation>数据库“{where}”是由另一个版本的 MarketMeter 建立的（结构版本 {p2}），多半是较新的版本：本程序最多能读结构版本 {head}，无法使用它，也没有改动它。请用建立它的那个版本打开，或请管理员升级到能读结构版本 {p2} 的版本。</translation>
    </message>
    <message>
        <source>The database “{where}” was made by an earlier version of MarketMeter and lacks tables or columns this version needs ({shown}); it cannot be upgraded automatically. Open it with the version that made it, or ask your administrator to move the data to a new database.</source>
        <translation>数据库“{where}”是由较早版本的 MarketMeter 建立的，缺少本版本需要的表或字段（{shown}），无法自动升级。请用建立它的那个版本打开，或请管理员把数据迁移到新数据库。</translation>
    </message>
    <message>
        <source>Channel “{channel_name}” still has {bound} meters, so it cannot be deleted. Move those meters to another channel first, or disable this channel</source>
        <translation>通道“{channel_name}”下还有 {bound} 块表，不能删除；请先把这些表改到其他通道，或停用此通道</translation>
    </message>
    <message>
        <source>Comm channel (id {channel_id}) not found. Refresh the list and try again</source>
        <translation>找不到通讯通道（编号 {channel_id}），请刷新列表后重试</translation>
    </message>
    <message>
        <source>The channel name is required, at most 60 characters. Fill it in</source>
        <translation>通道名称必须填写，最多 60 个字符</translation>
    </message>
    <message>
        <source>A channel named “{name}” already exists. Choose another name</source>
        <translation>已有名为“{name}”的通道，请换一个名称</translation>
    </message>
    <message>
        <source>A poll interval of {seconds} seconds is not allowed. Type 10 to 86400 seconds (one day)</source>
        <translation>抄表间隔 {seconds} 秒不合适：应在 10 秒到 86400 秒（一天）之间</translation>
    </message>
    <message>
        <source>Poll interval “{value}” is not a whole number of seconds. Type e.g. 1800 (30 minutes)</source>
        <translation>抄表间隔“{value}”不是整数秒数，请输入如 1800（30 分钟）</translation>
    </message>
    <message>
        <source>Parity must be N (none), E (even) or O (odd). Choose one of these</source>
        <translation>校验位只能是 N（无）、E（偶）或 O（奇）</translation>
    </message>
    <message>
        <source>Stop bits must be 1 or 2. Choose one of these</source>
        <translation>停止位只能是 1 或 2</translation>
    </message>
    <message>
        <source>Listen address “{text}” is not an IP address of this PC. Leave it empty for every address (0.0.0.0)</source>
        <translation>监听地址“{text}”不是本机的 IP 地址；留空表示本机所有地址（0.0.0.0）</translation>
    </message>
    <message>
        <source>Source network “{exc}” is not valid. Write it like 10.8.0.0/16 or 203.0.113.7, several separated by commas; leave it empty to allow every source</source>
        <translation>来源网段“{exc}”不对：请写成 10.8.0.0/16 或 203.0.113.7 这样，多个用逗号分开；留空表示不限来源</translation>
    </message>
    <message>
        <source>Platform address “{base_url}” must start with http:// or https://. Correct it</source>
        <translation>平台地址“{base_url}”须以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <source>Please fill in the App Secret</source>
        <translation>请填写应用 App Secret</translation>
    </message>
    <message>
        <source>Forced on, forced off and restore prepaid are set with the “Control” action, not here</source>
        <translation>保电、强制断电和恢复预付费请使用“控制方式”操作</translation>
    </message>
    <message>
        <source>Command (id {command_id}) not found. Refresh the list</source>
        <translation>指令（编号 {command_id}）不存在</translation>
    </message>
    <message>
        <source>Command (id {command_id}) has already finished ({cmd_status}); its result is no longer recorded</source>
        <translation>指令（编号 {command_id}）已结束（{cmd_status}），结果不再记录</translation>
    </message>
    <message>
        <source>For no cut at night, set both the start and the end time, or neither</source>
        <translation>夜间不断电须同时设置开始和结束时间，或都不设置</translation>
    </message>
    <message>
        <source>The start and end of no cut at night cannot be the same. Set e.g. 22:00 to 06:00</source>
        <translation>夜间不断电的开始和结束时间不能相同，例如 22:00 到 06:00</translation>
    </message>
    <message>
        <source>A holiday name can have at most 50 characters. Shorten it</source>
        <translation>节假日名称最多 50 个字符</translation>
    </message>
    <message>
        <source>{day:%Y-%m-%d} is already a holiday. Nothing to add</source>
        <translation>{day:%Y-%m-%d} 已经是节假日了</translation>
    </message>
    <message>
        <source>{day:%Y-%m-%d} is not a holiday. Refresh and try again</source>
        <translation>{day:%Y-%m-%d} 不是节假日，请刷新后重试</translation>
    </message>
    <message>
        <source>Alarm 2 (¥{a2:.2f}) cannot be higher than alarm 1 (¥{a1:.2f}): the balance falls to alarm 1 first, then to alarm 2. Lower alarm 2 or raise alarm 1</source>
        <translation>二级报警金额（{a2:.2f} 元）不能高于一级报警金额（{a1:.2f} 元）：余额先降到一级，再降到二级</translation>
    </message>
    <message>
        <source>Building (id {building_id}) not found. Refresh and try again</source>
        <translation>找不到楼栋（编号 {building_id}），请刷新后重试</translation>
    </message>
    <message>
        <source>Meter (id {meter_id}) not found. Refresh the list and try again</source>
        <translation>表（编号 {meter_id}）不存在</translation>
    </message>
    <message>
        <source>A meter&apos;s kind (electricity / water) cannot be changed. If it was entered wrongly, remove the meter and add it again</source>
        <translation>表计类型（电表 / 水表）不能修改；类型录错了，请删除这块表后重新添加</translation>
    </message>
    <message>
        <source>Meter {m_address} is the master meter of the shared-cost pool “{pool}”, so it cannot be removed. Give that pool another master meter under Shared costs first</source>
        <translation>表 {m_address} 是公摊池“{pool}”的总表，不能移除；请先在“公摊”里给该公摊池换一块总表</translation>
    </message>
    <message>
        <source>An NB water meter can only be on an NB platform channel, and “{channel_name}” is not one. Choose the NB platform channel, or another model</source>
        <translation>NB 水表只能接在 NB 平台通道上，通道“{channel_name}”不是；请选择 NB 平台通道，或换一个型号</translation>
    </message>
    <message>
        <source>The meter address is required. Fill it in</source>
        <translation>表地址必须填写</translation>
    </message>
    <message>
        <source>Meter address “{address}” is not valid: at most 40 characters, no spaces. Check it</source>
        <translation>表地址“{address}”不对：最多 40 个字符，不能有空格</translation>
    </message>
    <message>
        <source>The model may have at most 40 characters. Shorten it</source>
        <translation>型号最多 40 个字符，请缩短</translation>
    </message>
    <message>
        <source>CT ratio “{value}” is not valid. Type a whole number of 1 or more, such as 1, 5 or 20</source>
        <translation>倍率“{value}”不对：应为正整数，如 1、5、20</translation>
    </message>
    <message>
        <source>Meter {m_address} is already out of use or replaced and cannot be changed. Refresh the list</source>
        <translation>表 {m_address} 已停用或已换下，不能再修改；请刷新列表</translation>
    </message>
    <message>
        <source>Meter {m_address} has no new identity to accept. To bind it again, choose Clear</source>
        <translation>表 {m_address} 没有待接受的新身份；如要重新绑定，请选择“清除”</translation>
    </message>
    <message>
        <source>There is no meter profile named “{profile}”. Choose the model from the list</source>
        <translation>没有名为“{profile}”的表计型号配置，请从列表里选择型号</translation>
    </message>
    <message>
        <source>Channel “{channel_name}” is the NB platform and takes only NB water meters. Choose an NB water meter model, or another channel</source>
        <translation>通道“{channel_name}”是 NB 平台，只能接 NB 水表；请选择 NB 水表的型号，或换一个通道</translation>
    </message>
    <message>
        <source>Meter kind “{kind}” is not valid. Choose electricity or water</source>
        <translation>表计类型“{kind}”不对，请选择电表或水表</translation>
    </message>
    <message>
        <source>Another reading process wrote readings of the same meter at the same time; this batch was not saved. Try again in a moment</source>
        <translation>另一个抄表进程同时写入了同一块表的读数，本批读数未保存，请稍后重试</translation>
    </message>
    <message>
        <source>Type a note on how it was handled (for example: meter checked on site, reading is right)</source>
        <translation>请填写处理说明（例如：现场核实表码无误）</translation>
    </message>
    <message>
        <source>Abnormal reading (id {anomaly_id}) not found. Refresh the list and try again</source>
        <translation>异常读数（编号 {anomaly_id}）不存在，请刷新列表后重试</translation>
    </message>
    <message>
        <source>Abnormal reading (id {anomaly_id}) has already been handled ({anomaly_status}). Refresh the list</source>
        <translation>异常读数（编号 {anomaly_id}）已被处理（{anomaly_status}），请刷新列表</translation>
    </message>
    <message>
        <source>Abnormal reading (id {anomaly_id}) holds {p2} readings. Choose one of them</source>
        <translation>异常读数（编号 {anomaly_id}）只有 {p2} 个读数，请在列表中选一个</translation>
    </message>
    <message>
        <source>Meter (id {old_meter_id}) not found. Refresh the list and try again</source>
        <translation>表（编号 {old_meter_id}）不存在，请刷新列表后重试</translation>
    </message>
    <message>
        <source>Meter {old_address} has already been replaced and cannot be replaced again</source>
        <translation>表 {old_address} 已被换下，不能再换</translation>
    </message>
    <message>
        <source>Meter {old_address} has abnormal readings waiting. Handle them first, then replace the meter</source>
        <translation>表 {old_address} 有待处理的异常读数，请先处理再换表</translation>
    </message>
    <message>
        <source>The old meter&apos;s final reading {old_final_total} is below its last reading {old_last_total}. Check the final reading</source>
        <translation>旧表止码 {old_final_total} 小于该表最后读数 {old_last_total}，请核对旧表止码</translation>
    </message>
    <message>
        <source>The replacement time must be after the old meter&apos;s last reading time. Check the time</source>
        <translation>换表时间须晚于旧表的最后一次抄表时间</translation>
    </message>
    <message>
        <source>The new meter&apos;s starting reading cannot be negative. Check the reading</source>
        <translation>新表起码不能为负数</translation>
    </message>
    <message>
        <source>A meter with address {new_address} is already on this line. Check the new meter&apos;s address</source>
        <translation>该通道上已有地址为 {new_address} 的表，请核对新表地址</translation>
    </message>
    <message>
        <source>This reading is older than the meter&apos;s latest reading and cannot be accepted. Reject it</source>
        <translation>该读数早于表的最新读数，不能接受；请驳回</translation>
    </message>
    <message>
        <source>Stall “{code_or_id}” not found. Check the stall code</source>
        <translation>找不到档位“{code_or_id}”，请核对档位号</translation>
    </message>
    <message>
        <source>Market code and name are both required. Fill in both</source>
        <translation>市场编码和名称都必须填写</translation>
    </message>
    <message>
        <source>Market code “{p_code}” already exists. Choose another code</source>
        <translation>市场编码“{p_code}”已存在</translation>
    </message>
    <message>
        <source>Building “{name}” already exists. Choose another name</source>
        <translation>楼栋“{name}”已存在，请换一个名称</translation>
    </message>
    <message>
        <source>Building “{b_name}” still has {n} stalls, so it cannot be deleted. Move or delete those stalls first</source>
        <translation>楼栋“{b_name}”下还有 {n} 个档位，不能删除；请先移走或删除这些档位</translation>
    </message>
    <message>
        <source>Stall code “{p_code}” already exists ({clash}). Choose another code</source>
        <translation>档位号“{p_code}”已存在（{clash}），请换一个档位号</translation>
    </message>
    <message>
        <source>Stall {stall_code} has {meters} meters bound, so it cannot be deleted. Unbind the meters or move them to another stall first</source>
        <translation>档位 {stall_code} 绑定了 {meters} 块表，不能删除；请先解绑或换到其他档位</translation>
    </message>
    <message>
        <source>Stall {stall_code} already has recharges or bills, so it cannot be deleted. If it is no longer used, close its account and set its status to “closed”</source>
        <translation>档位 {stall_code} 已有充值或账单记录，不能删除；不再使用请销户并把状态设为“停用”</translation>
    </message>
    <message>
        <source>Area “{value}” is not valid. Type square metres: zero or more, at most three decimals</source>
        <translation>面积“{value}”不对：应为不小于零、最多三位小数的平方米数</translation>
    </message>
    <message>
        <source>Stall (id {code_or_id}) not found. Refresh and try again</source>
        <translation>找不到档位（编号 {code_or_id}）</translation>
    </message>
    <message>
        <source>Stall code “{p_code}” already exists. Choose another code</source>
        <translation>档位号“{p_code}”已存在，请换一个档位号</translation>
    </message>
    <message>
        <source>Area “{value}” is not a number. Type square metres, such as 12.5</source>
        <translation>面积“{value}”不是数字，请输入如 12.5 的平方米数</translation>
    </message>
    <message>
        <source>Stall {stall_code} has been closed and cannot be recharged. To use power and water again, reopen its account first</source>
        <translation>档位 {stall_code} 已销户，不能充值；如需继续用电用水请先重新开户</translation>
    </message>
    <message>
        <source>Stall {stall_code} is “{status}” and cannot be recharged. Set it to active in the stall details first</source>
        <translation>档位 {stall_code} 当前状态为“{status}”，不能充值；请先在档位资料中启用</translation>
    </message>
    <message>
        <source>A reversal needs a reason (for example “payment failed” or “wrong amount”). Type the reason</source>
        <translation>冲正必须填写原因（例如“收款失败”“金额输错”）</translation>
    </message>
    <message>
        <source>Receipt {p1} has already been reversed; a recharge can be reversed only once</source>
        <translation>收据 {p1} 已经冲正过，同一笔充值只能冲正一次</translation>
    </message>
    <message>
        <source>Stall {stall_code} has been closed and its balance refunded, so its recharges can no longer be reversed. Settle a payment problem with the former tenant directly</source>
        <translation>档位 {stall_code} 已销户，余额已退清，不能再冲正它的充值；收款如有问题请与原租户直接结清</translation>
    </message>
    <message>
        <source>Closing an account needs a reason (for example “tenant moved out”). Type the reason</source>
        <translation>销户必须填写原因（例如“租户退租”）</translation>
    </message>
    <message>
        <source>Stall {stall_code} has already been closed</source>
        <translation>档位 {stall_code} 已经销户</translation>
    </message>
    <message>
        <source>A meter of stall {stall_code} has {reason}, so the final settlement cannot be done. Resolve it under reading anomalies first, then close the account</source>
        <translation>档位 {stall_code} 的表{reason}，无法做最终结算；请先在抄表异常中处理，再销户</translation>
    </message>
    <message>
        <source>Stall {stall_code} owes {minus_account_balance:.2f} yuan. Collect what is owed first, then close the account</source>
        <translation>档位 {stall_code} 欠费 {minus_account_balance:.2f} 元；请先收清欠费，再销户</translation>
    </message>
    <message>
        <source>The balance has changed (another cashier has just recharged, or a settlement ran). Check the refund again: {expected_refund:.2f} yuan was confirmed, {account_balance:.2f} yuan is due now</source>
        <translation>余额已变化（另一位收银员刚充值或结算），请重新核对退款金额：确认的退款为 {expected_refund:.2f} 元，现在应退 {account_balance:.2f} 元</translation>
    </message>
    <message>
        <source>The account of stall {stall_code} is open already; there is nothing to open</source>
        <translation>档位 {stall_code} 的账户正在使用，无需开户</translation>
    </message>
    <message>
        <source>Stall {stall_code} is “{status}”. Set it to active in the stall details first, then open the account</source>
        <translation>档位 {stall_code} 当前状态为“{status}”；请先在档位资料中启用，再开户</translation>
    </message>
    <message>
        <source>Only recharges can be reversed; this entry is a “{kind}”. Correct it with the matching function</source>
        <translation>只能冲正充值；这笔是“{kind}”，请用对应的功能更正</translation>
    </message>
    <message>
        <source>Payment method “{value}” is not known. Choose one of: {names}</source>
        <translation>付款方式“{value}”不认识，可选：{names}</translation>
    </message>
    <message>
        <source>take recharges</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>reverse recharges</source>
        <translation>冲正充值</translation>
    </message>
    <message>
        <source>close accounts</source>
        <translation>销户</translation>
    </message>
    <message>
        <source>open accounts</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>vacant</source>
        <translation>空置</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>{value} ({name})</source>
        <translation>{value}（{name}）</translation>
    </message>
    <message>
        <source>{first}, {next}</source>
        <translation>{first}、{next}</translation>
    </message>
    <message>
        <source>The account of stall {stall_code} has a balance of {account_balance:.2f} yuan, which belongs to the former tenant. Settle the former tenant&apos;s balance first, then open the account</source>
        <translation>档位 {stall_code} 的账户余额为 {account_balance:.2f} 元，属于原租户；请先与原租户结清余额，再开户</translation>
    </message>
    <message>
        <source>Receipt (id {receipt_id}) not found. Refresh and try again</source>
        <translation>找不到收据（编号 {receipt_id}）</translation>
    </message>
    <message>
        <source>No stall given. Type the stall code</source>
        <translation>请指定档位（档位号）</translation>
    </message>
    <message>
        <source>Stall “{p_code}” not found. Check the stall code</source>
        <translation>找不到档位“{p_code}”，请核对档位号</translation>
    </message>
    <message>
        <source>Stall {stall_code} has no account yet. Ask an administrator to open one in the stall details</source>
        <translation>档位 {stall_code} 还没有开户，请管理员先在档位资料中开户</translation>
    </message>
    <message>
        <source>This recharge number was already used for another recharge (other stall or amount). Start the recharge again</source>
        <translation>这个充值编号已用于另一笔充值（档位或金额不同）；请重新发起充值</translation>
    </message>
    <message>
        <source>No receipt given. Type the number of the receipt to reverse</source>
        <translation>请指定要冲正的收据号</translation>
    </message>
    <message>
        <source>Ledger entry (id {entry_id}) not found. Refresh and try again</source>
        <translation>找不到账目（编号 {entry_id}）</translation>
    </message>
    <message>
        <source>Stall (id {stall_id}) not found. Refresh and try again</source>
        <translation>档位（编号 {stall_id}）不存在，请刷新后重试</translation>
    </message>
    <message>
        <source>Receipt number {receipt_no} not found. Check the number on the receipt</source>
        <translation>找不到收据号 {receipt_no}</translation>
    </message>
    <message>
        <source>The monthly report of {month:%Y-%m} has been reviewed and locked: bills, readings and reversals of that month can no longer be added or changed. Make corrections in the current, unlocked month</source>
        <translation>{p1}的月报表已审核锁定，不能再新增或更改该月的账单、读数或冲正；如需更正，请在当前未锁定的月份做调整</translation>
    </message>
    <message>
        <source>The monthly report of {report_month:%Y-%m} was returned. Deal with the reviewer&apos;s notes and build it again, then submit it</source>
        <translation>{p1}的月报表已被退回，请先按审核意见处理并重新生成，再提交</translation>
    </message>
    <message>
        <source>The monthly report of {report_month:%Y-%m} was reopened. Make the corrections and build it again, then submit it</source>
        <translation>{p1}的月报表已重新打开，请先做完更正并重新生成，再提交</translation>
    </message>
    <message>
        <source>You submitted the monthly report of {report_month:%Y-%m}, so another person must approve it (four eyes). In a one-person office an administrator can allow the submitter to approve under Settings → Users and roles</source>
        <translation>{p1}的月报表是您本人提交的，须由另一人审核（双人复核）；只有一个人的办公室，可由管理员在“设置 → 用户与角色”中允许提交人审核</translation>
    </message>
    <message>
        <source>Write why the approved month is reopened (e.g. the bill to correct); it is kept in the review history and the audit log</source>
        <translation>重新打开已审核的月份须写明原因（例如要更正的账单），会记入审核记录和操作日志</translation>
    </message>
    <message>
        <source>{later:%Y-%m} is approved and locked too, and its opening balances come from {report_month:%Y-%m}. Reopen {later:%Y-%m} first</source>
        <translation>{p1}也已审核锁定，它的期初余额来自{p2}；请先重新打开{p1}</translation>
    </message>
    <message>
        <source>Write why the report is returned, so the administrator knows what to change</source>
        <translation>退回时请写明原因，方便管理员修改</translation>
    </message>
    <message>
        <source>{month:%Y-%m} has not ended yet (it ends at {local_end:%Y-%m-%d %H:%M}), so it cannot be {doing}. Build a draft to look at now; submit it for review once the month has ended</source>
        <translation>{month.year}年{month.month}月还没有结束（到 {local_end:%Y-%m-%d %H:%M} 才结束），不能{doing}；现在可以生成草稿查看，月份结束后再提交审核</translation>
    </message>
    <message>
        <source>Only a named person may {doing}: add --operator USERNAME to the command to sign in as yourself, then try again</source>
        <translation>{doing}须由具体的人办理：请在命令后加上 --operator 用户名，以本人账号登录后再{doing}</translation>
    </message>
    <message>
        <source>The monthly report of {report_month:%Y-%m} is “{status}” and cannot be submitted</source>
        <translation>{p1}的月报表{status}，不能提交</translation>
    </message>
    <message>
        <source>The monthly report of {report_month:%Y-%m} is “{status}”; only a submitted report can be approved</source>
        <translation>{p1}的月报表{status}，只有待审核的月报表可以审核通过</translation>
    </message>
    <message>
        <source>Money moved in the month after the report was built (stall {stalls}{more}). Return the report, build it again, then approve it</source>
        <translation>月报表生成后又有该月的收支变动（档位 {stalls}{more}），请退回后重新生成再审核</translation>
    </message>
    <message>
        <source>The monthly report of {report_month:%Y-%m} is “{status}”; only an approved report needs reopening</source>
        <translation>{p1}的月报表{status}，只有已审核的月报表需要重新打开</translation>
    </message>
    <message>
        <source>The monthly report of {report_month:%Y-%m} is “{status}”; only a submitted report can be returned</source>
        <translation>{p1}的月报表{status}，只有待审核的月报表可以退回</translation>
    </message>
    <message>
        <source>The monthly report of {month:%Y-%m} has not been built yet. Build it first</source>
        <translation>{p1}的月报表还没有生成，请先生成</translation>
    </message>
    <message>
        <source>Month “{text}” is not written right. Write it like 2026-11</source>
        <translation>月份“{text}”格式不对，请写成 2026-11</translation>
    </message>
    <message>
        <source>build monthly reports</source>
        <translation>生成月报表</translation>
    </message>
    <message>
        <source>submit monthly reports</source>
        <translation>提交月报表</translation>
    </message>
    <message>
        <source>approve monthly reports</source>
        <translation>审核月报表</translation>
    </message>
    <message>
        <source>return monthly reports</source>
        <translation>退回月报表</translation>
    </message>
    <message>
        <source>The monthly report of {month:%Y-%m} is “{status}” and cannot be built again</source>
        <translation>{month.year}年{month.month}月的月报表{status}，不能重新生成</translation>
    </message>
    <message>
        <source>The monthly report of {month:%Y-%m} is “{status}” and cannot be built again; ask a reviewer to return it first</source>
        <translation>{month.year}年{month.month}月的月报表{status}，不能重新生成；请审核员先退回</translation>
    </message>
    <message>
        <source>submitted</source>
        <translation>提交审核</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source> and more</source>
        <translation> 等</translation>
    </message>
    <message>
        <source>Bill (id {p1}) not found. Refresh and try again</source>
        <translation>账单（编号 {p1}）不存在，请刷新后重试</translation>
    </message>
    <message>
        <source>Type the reason for voiding the bill</source>
        <translation>请填写作废原因</translation>
    </message>
    <message>
        <source>Bill (id {bill_id}) not found. Refresh and try again</source>
        <translation>账单（编号 {bill_id}）不存在，请刷新后重试</translation>
    </message>
    <message>
        <source>Bill {bill_id} has already been voided</source>
        <translation>账单 {bill_id} 已作废</translation>
    </message>
    <message>
        <source>Bill {b_id} is “{b_status}”; only bills not yet issued can be issued</source>
        <translation>账单 {b_id} 当前状态为“{b_status}”，只有未下发的账单可以下发</translation>
    </message>
    <message>
        <source>The stall of bill {b_id} has been closed, so the bill cannot be issued. Void the bill</source>
        <translation>账单 {b_id} 所属档位已销户，不能下发；请作废该账单</translation>
    </message>
    <message>
        <source>No debit found for bill {bill_id}, so it cannot be reversed. Ask the administrator to check the ledger</source>
        <translation>账单 {bill_id} 找不到扣款记录，无法冲正；请联系管理员核对台账</translation>
    </message>
    <message>
        <source>generate property bills</source>
        <translation>生成物业账单</translation>
    </message>
    <message>
        <source>issue bills</source>
        <translation>下发账单</translation>
    </message>
    <message>
        <source>void bills</source>
        <translation>作废账单</translation>
    </message>
    <message>
        <source>Stall {stall_code} has no account, so there is nothing to settle</source>
        <translation>档位 {stall_code} 没有账户，无需结算</translation>
    </message>
    <message>
        <source>run settlement</source>
        <translation>结算</translation>
    </message>
    <message>
        <source>an abnormal reading waiting</source>
        <translation>有待处理的异常读数</translation>
    </message>
    <message>
        <source>The reason for an additional pool can have at most 200 characters. Shorten it</source>
        <translation>追加公摊的原因最多 200 个字，请写短一些</translation>
    </message>
    <message>
        <source>The shared cost has no name. Type a name such as “Zone A common lighting”</source>
        <translation>公摊名称不能为空，请填写如“A区公共照明”</translation>
    </message>
    <message>
        <source>A shared cost named “{name}” already exists. Choose another name</source>
        <translation>已有名为“{name}”的公摊，请换一个名称</translation>
    </message>
    <message>
        <source>A fixed-amount share charges each stall its own amount and uses no master meter. Remove the master meter or choose another way of sharing</source>
        <translation>固定金额分摊按每户金额收取，不使用总表；请去掉总表或改用其他分摊方式</translation>
    </message>
    <message>
        <source>No stalls share this cost. Add stalls to the building first, or tick the stalls</source>
        <translation>没有参与公摊的档位，请先在该楼栋添加档位或勾选档位</translation>
    </message>
    <message>
        <source>That shared cost was not found. Refresh and try again</source>
        <translation>找不到该公摊设置，请刷新后重试</translation>
    </message>
    <message>
        <source>The period ends on {end}, before it starts on {start}. Choose the dates again</source>
        <translation>公摊期间结束日 {end} 早于开始日 {start}，请重新选择</translation>
    </message>
    <message>
        <source>The shared cost “{pool_name}” from {live_period_start} to {live_period_end} has already been generated (run {live_id}) and overlaps {start} to {end}. To calculate it again, void that run first</source>
        <translation>“{pool_name}”{live_period_start}至{live_period_end}的公摊已生成（单号 {live_id}），与 {start}至{end} 重叠；如需重算请先作废该单</translation>
    </message>
    <message>
        <source>This period overlaps the shared cost “{name}” from {run_period_start} to {run_period_end} (run {run_id}): the same stalls cannot share the same kind of cost twice. If this is another cost, create a new shared cost marked “additional pool” with the reason</source>
        <translation>与公摊“{name}”{run_period_start}至{run_period_end}（单号 {run_id}）的期间重叠：同样的档位、同类费用不能重复分摊。如这是另一笔费用，请新建公摊并勾选“追加公摊”、写明原因</translation>
    </message>
    <message>
        <source>The shared amount of “{pool_name}” from {start} to {end} is 0; there is no bill to generate</source>
        <translation>“{pool_name}”{start}至{end}的公摊金额为 0，无需生成账单</translation>
    </message>
    <message>
        <source>That shared-cost run was not found. Refresh and try again</source>
        <translation>找不到该公摊单，请刷新后重试</translation>
    </message>
    <message>
        <source>Shared-cost run {run_id} is “{status}”, so it cannot be {doing}</source>
        <translation>公摊单 {run_id} 当前为“{status}”，不能{doing}</translation>
    </message>
    <message>
        <source>The file needs a “stall code” column and a “coefficient” or “fixed amount” column. Add them</source>
        <translation>文件需要“档位编号”列和“系数”或“固定金额”列</translation>
    </message>
    <message>
        <source>Meter {meter_address} is not {kind}. Choose a master meter of the same kind</source>
        <translation>表号 {meter_address} 不是{kind}，请选择同类型的总表</translation>
    </message>
    <message>
        <source>set up shared costs</source>
        <translation>设置公摊</translation>
    </message>
    <message>
        <source>set shared-cost coefficients</source>
        <translation>设置公摊系数</translation>
    </message>
    <message>
        <source>view shared costs</source>
        <translation>查看公摊</translation>
    </message>
    <message>
        <source>generate shared-cost bills</source>
        <translation>生成公摊账单</translation>
    </message>
    <message>
        <source>review shared-cost bills</source>
        <translation>审核公摊账单</translation>
    </message>
    <message>
        <source>issue shared-cost bills</source>
        <translation>下发公摊账单</translation>
    </message>
    <message>
        <source>void shared-cost bills</source>
        <translation>作废公摊账单</translation>
    </message>
    <message>
        <source>reverse shared-cost bills</source>
        <translation>冲正公摊账单</translation>
    </message>
    <message>
        <source>an electricity meter</source>
        <translation>电表</translation>
    </message>
    <message>
        <source>a water meter</source>
        <translation>水表</translation>
    </message>
    <message>
        <source>The fixed shared amount</source>
        <translation>固定公摊金额</translation>
    </message>
    <message>
        <source>The shared-cost coefficient</source>
        <translation>公摊系数</translation>
    </message>
    <message>
        <source>The shared amount</source>
        <translation>公摊金额</translation>
    </message>
    <message>
        <source>“{pool}” cannot be shared: {why}. Choose another way of sharing, or fill in the coefficients or areas first</source>
        <translation>“{pool}”无法分摊：{why}。请改用其他分摊方式或先填写系数/面积</translation>
    </message>
    <message>
        <source>every stall used 0 this period</source>
        <translation>各档位本期用量都是 0</translation>
    </message>
    <message>
        <source>every stall has area 0</source>
        <translation>各档位面积都是 0</translation>
    </message>
    <message>
        <source>every stall has coefficient 0</source>
        <translation>各档位系数都是 0</translation>
    </message>
    <message>
        <source>Stalls {stalls} differ only in upper and lower case: it is not clear which “{code}” is. Change one of them under Stalls first</source>
        <translation>档位 {stalls} 只差字母大小写，无法确定“{code}”是哪一个：请先在“档位”里把其中一个改成别的编号</translation>
    </message>
    <message>
        <source>The stall code is the number {code}: it could be {stalls}. Format the column as text and type the full code</source>
        <translation>档位编号是数字 {code}，可能是 {stalls}：请把这一列设为文本格式，写出完整编号</translation>
    </message>
    <message>
        <source>Stall code “{code}” does not exist. Check it</source>
        <translation>档位编号“{code}”不存在，请核对</translation>
    </message>
    <message>
        <source>{problem}. {fix}</source>
        <translation>{problem}，{fix}</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>issued (a reviewer must review it first)</source>
        <translation>下发（请先由审核员审核）</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>reversed (void it instead if it is not issued)</source>
        <translation>冲正（未下发的请直接作废）</translation>
    </message>
    <message>
        <source>Shared-cost run {run_id} has been issued and debited, so it cannot be voided. Use “Reverse” to refund the stalls</source>
        <translation>公摊单 {run_id} 已下发扣款，不能作废；请用“冲正”退回各档位的扣款</translation>
    </message>
    <message>
        <source>In shared-cost run {run_id} the bills of stall {codes} were debited when the account was closed, so the run cannot be voided. Issue it, then use “Reverse”</source>
        <translation>公摊单 {run_id} 中档位 {codes} 的账单已在销户时扣款，不能作废；请下发后用“冲正”退回</translation>
    </message>
    <message>
        <source>Type the reason (for example: the master meter reading was wrong)</source>
        <translation>请填写原因（例如：总表读数有误）</translation>
    </message>
    <message>
        <source>That master meter was not found. Refresh and choose again</source>
        <translation>找不到该总表，请刷新后重选</translation>
    </message>
    <message>
        <source>Meter {meter_address} is bound to a stall, so it cannot be a master meter; a master meter must not be bound to a stall</source>
        <translation>表号 {meter_address} 绑定了档位，不能作为公摊总表；总表不应绑定档位</translation>
    </message>
    <message>
        <source>Choose a building, or tick the stalls that share the cost</source>
        <translation>请选择楼栋或勾选参与公摊的档位</translation>
    </message>
    <message>
        <source>Stall {row_stall_code} has no account. Open an account for the stall, then generate the shared cost</source>
        <translation>档位 {row_stall_code} 没有账户，请先为该档位开户后再生成公摊</translation>
    </message>
    <message>
        <source>In shared-cost run {run_id} stall {p_code} has been closed and its balance refunded, so the run cannot be reversed. Settle that share with the former tenant directly</source>
        <translation>公摊单 {run_id} 中档位 {p_code} 已销户，余额已退清，不能冲正；这笔公摊请与原租户直接结清</translation>
    </message>
    <message>
        <source>“{pool_name}” {start} to {end}: the shared usage is negative. Master meter {master} {unit}, sub-meters together {members_usage} {unit}, {minus_pool_usage} {unit} more on the sub-meters. Check the readings, CT ratios and wiring of the master and sub-meters, then generate again</source>
        <translation>“{pool_name}”{start}至{end}的公摊用量为负：总表 {master} {unit}，分表合计 {members_usage} {unit}，分表多出 {minus_pool_usage} {unit}。请核对总表和分表的读数、倍率与接线后再生成</translation>
    </message>
    <message>
        <source>“{pool_name}” has no price. Type a price in the shared-cost settings, or give master meter {meter_address} a tariff</source>
        <translation>“{pool_name}”没有单价：请在公摊设置里填写单价，或给总表 {meter_address} 设置费率</translation>
    </message>
    <message>
        <source>“{pool_name}” has no master meter. Type this period&apos;s shared amount</source>
        <translation>“{pool_name}”没有总表，请输入本期公摊金额</translation>
    </message>
    <message>
        <source>The tariff has no name. Type a name</source>
        <translation>电价名称不能为空，请输入名称</translation>
    </message>
    <message>
        <source>Tariff “{spec_name}” has a negative price. Check the prices and type them again</source>
        <translation>电价“{spec_name}”的单价不能为负数，请检查后重新输入</translation>
    </message>
    <message>
        <source>A tariff named “{spec_name}” already exists. Choose another name</source>
        <translation>已有名为“{spec_name}”的电价，请换一个名称</translation>
    </message>
    <message>
        <source>Tariff (id {tariff_id}) not found. Refresh the list and try again</source>
        <translation>电价（编号 {tariff_id}）不存在，请刷新列表后重试</translation>
    </message>
    <message>
        <source>Charge item (id {item_id}) not found. Refresh the list and try again</source>
        <translation>收费项目（编号 {item_id}）不存在，请刷新列表后重试</translation>
    </message>
    <message>
        <source>The charge item name is required, at most 60 characters. Fill it in</source>
        <translation>收费项目名称必须填写，最多 60 个字符</translation>
    </message>
    <message>
        <source>A charge item named “{name}” already exists. Choose another name</source>
        <translation>已有名为“{name}”的收费项目，请换一个名称</translation>
    </message>
    <message>
        <source>The unit can have at most 10 characters, e.g. piece or barrel. Shorten it</source>
        <translation>计量单位最多 10 个字符，如 个、桶</translation>
    </message>
    <message>
        <source>The same stall is listed twice (stall codes ignore case). Keep one line per stall</source>
        <translation>同一档位填了两次（档位号不分大小写），请合并成一行</translation>
    </message>
    <message>
        <source>Stalls not found: {p2}. Check the stall codes</source>
        <translation>找不到档位：{p1}；请检查档位编号</translation>
    </message>
    <message>
        <source>A time-of-use tariff needs prices for sharp, peak, flat and valley (rates 1–4). Fill in all four</source>
        <translation>分时电价须设置尖、峰、平、谷（费率 1–4）的单价</translation>
    </message>
    <message>
        <source>Time-of-use periods: at most 8, each starting between 00:00 and 23:59 at a rate that has a price. Correct the periods</source>
        <translation>分时时段最多 8 段，起始时间须在 00:00–23:59，费率须已设置单价</translation>
    </message>
    <message>
        <source>Tiers must go from the smallest usage limit to the largest; only the last tier may have no limit. Correct the tiers</source>
        <translation>阶梯电价须按用量上限从小到大设置，只有最后一档可以不设上限</translation>
    </message>
    <message>
        <source>Building (id {spec_building_id}) not found. Refresh and try again</source>
        <translation>找不到楼栋（编号 {spec_building_id}），请刷新后重试</translation>
    </message>
    <message>
        <source>Quantities per stall are only for charge items billed per unit. Clear the quantities or choose billing per unit</source>
        <translation>只有“按数量”的收费项目才按档位填写数量</translation>
    </message>
    <message>
        <source>Quantity “{value}” of stall {p_code} is not valid. Type more than zero, with at most three decimals</source>
        <translation>档位 {p_code} 的数量“{value}”不对：应大于零，最多三位小数</translation>
    </message>
    <message>
        <source>Quantity “{value}” of stall {p_code} is not a number. Type a number such as 2</source>
        <translation>档位 {p_code} 的数量“{value}”不是数字</translation>
    </message>
    <message>
        <source>The price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>add tariffs</source>
        <translation>新增电价</translation>
    </message>
    <message>
        <source>edit tariffs</source>
        <translation>修改电价</translation>
    </message>
    <message>
        <source>add charge items</source>
        <translation>新增收费项目</translation>
    </message>
    <message>
        <source>edit charge items</source>
        <translation>修改收费项目</translation>
    </message>
    <message>
        <source>delete charge items</source>
        <translation>删除收费项目</translation>
    </message>
    <message>
        <source>The file cannot be read: it is not a sound Excel .xlsx file (it may be damaged). Open it in Excel or WPS, choose File → Save As, type “Excel Workbook (*.xlsx)”, and import that file</source>
        <translation>无法读取该文件：它不是完好的 Excel .xlsx 文件（可能已损坏）。请用 Excel 或 WPS 打开，“文件 → 另存为”，保存类型选“Excel 工作簿 (*.xlsx)”，再导入</translation>
    </message>
    <message>
        <source>The usage report can only be totalled per day or per month. Choose day or month</source>
        <translation>用量报表只能按日或按月汇总</translation>
    </message>
    <message>
        <source>The end date {last} is before the start date {first}. Choose the dates again</source>
        <translation>结束日期 {last} 早于开始日期 {first}，请重新选择</translation>
    </message>
    <message>
        <source>Market (id {site_id}) not found. Create the market first</source>
        <translation>找不到市场（编号 {site_id}），请先创建市场</translation>
    </message>
    <message>
        <source>You cannot take away your own administrator role. Ask another administrator to do it</source>
        <translation>不能取消自己的管理员角色；请由另一位管理员操作</translation>
    </message>
    <message>
        <source>You cannot deactivate yourself while logged in. Ask another administrator to do it</source>
        <translation>不能停用当前登录的自己；请由另一位管理员操作</translation>
    </message>
    <message>
        <source>A user name is required (at most 40 characters). Type a user name</source>
        <translation>用户名必须填写，最多 40 个字符</translation>
    </message>
    <message>
        <source>User name “{username}” is kept for the program itself. Choose another one</source>
        <translation>用户名“{username}”是程序自己使用的名字，请换一个</translation>
    </message>
    <message>
        <source>User name “{username}” already exists. Choose another one</source>
        <translation>用户名“{username}”已存在，请换一个</translation>
    </message>
    <message>
        <source>“{user_username}” is the last administrator and must stay one. Make another user an administrator first</source>
        <translation>“{user_username}”是最后一位管理员，不能取消；请先把另一位用户设为管理员</translation>
    </message>
    <message>
        <source>The password needs at least {min_password} characters. Type a longer password</source>
        <translation>密码至少 {min_password} 位</translation>
    </message>
    <message>
        <source>User (id {user_id}) not found. Refresh and try again</source>
        <translation>找不到用户（编号 {user_id}）</translation>
    </message>
    <message>
        <source>Role “{role}” is not known. Choose one of: {names}</source>
        <translation>角色“{role}”不认识，可选：{names}</translation>
    </message>
    <message>
        <source>Wrong user name or password. Type them again</source>
        <translation>用户名或密码错误，请重新输入</translation>
    </message>
    <message>
        <source>add users</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>change user roles</source>
        <translation>修改用户角色</translation>
    </message>
    <message>
        <source>deactivate users</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Stall “{p_code}” does not exist. Choose the stall from the list</source>
        <translation>档位“{p_code}”不存在，请从列表里选择档位</translation>
    </message>
    <message>
        <source>“{part}” is not written right. Write stall code=quantity, e.g. A01=2, with commas between stalls</source>
        <translation>“{part}”的格式不对，请写成 档位编号=数量，如 A01=2，多个用逗号分开</translation>
    </message>
    <message>
        <source>Tier “{part}” is not written right. Write it like 200=0.60, and the last tier like =1.00</source>
        <translation>阶梯“{part}”的格式不对，请写成 200=0.60 这样，最后一档写成 =1.00</translation>
    </message>
    <message>
        <source>Period “{part}” is not written right. Write it like 08:00=2 (rate 1–4), with commas between periods</source>
        <translation>时段“{part}”的格式不对，请写成 08:00=峰 这样，多个时段用逗号分开</translation>
    </message>
    <message>
        <source>The two passwords do not match. Type them again</source>
        <translation>两次输入的密码不一致，请重新输入</translation>
    </message>
    <message>
        <source>{what} “{shown}” has a comma in the wrong place: a comma only separates thousands (1,000.50). Type a number such as {example}</source>
        <translation>{what}“{shown}”的逗号位置不对：逗号只能作千位分隔（如 1,000.50），请输入如 {example} 的数</translation>
    </message>
    <message>
        <source>{what} “{shown}” is not a number. Type digits and at most one decimal point, such as {example}</source>
        <translation>{what}“{shown}”不是数字，请只输入数字和小数点，如 {example}</translation>
    </message>
    <message>
        <source>{what} “{shown}” has more than two decimals. Type yuan with at most two decimals (jiao and fen)</source>
        <translation>{what}“{shown}”最多两位小数（元、角、分）</translation>
    </message>
    <message>
        <source>{what} “{shown}” has more than {places} decimals. Type at most {places} decimals</source>
        <translation>{what}“{shown}”最多{places}位小数</translation>
    </message>
    <message>
        <source>{what} must be more than zero (you typed {shown}). Type an amount such as {example}</source>
        <translation>{what}必须大于零（输入的是 {shown}）</translation>
    </message>
    <message>
        <source>{what} {shown} is too large. Type at most {most}</source>
        <translation>{what} {shown} 过大，最多 {most}，请核对</translation>
    </message>
    <message>
        <source>{what} cannot be negative (you typed {shown}). Type zero or more</source>
        <translation>{what}不能为负数（输入的是 {shown}），请输入零或正数</translation>
    </message>
    <message>
        <source>The number</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>The amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>100 or 120.50</source>
        <translation>100 或 120.50</translation>
    </message>
    <message>
        <source>three</source>
        <translation>三</translation>
    </message>
    <message>
        <source>four</source>
        <translation>四</translation>
    </message>
    <message>
        <source>User “{user}” ({role}) may not {doing}. Please ask {allowed} to log in and do it.</source>
        <translation>当前用户“{user}”（{role}）无权{doing}，请由{allowed}登录后操作</translation>
    </message>
    <message>
        <source>{one} or {other}</source>
        <translation>{one}、{other}</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>reviewer</source>
        <translation>审核员</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>查看员</translation>
    </message>
    <message>
        <source>an administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>a cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>a reviewer</source>
        <translation>审核员</translation>
    </message>
    <message>
        <source>a viewer</source>
        <translation>查看员</translation>
    </message>
    <message>
        <source>{what} {port} is not valid. Type a port number from 1 to 65535</source>
        <translation>{what} {port} 不对，请输入 1–65535 之间的端口号</translation>
    </message>
    <message>
        <source>Please fill in {what}</source>
        <translation>请填写{what}</translation>
    </message>
    <message>
        <source>{what} “{value}” is not a number. Type a port number from 1 to 65535</source>
        <translation>{what}“{value}”不是数字，请输入 1–65535 之间的端口号</translation>
    </message>
    <message>
        <source>Baud rate “{value}” is not valid. Choose one of: {choices}</source>
        <translation>波特率“{value}”不对，可选：{choices}</translation>
    </message>
    <message>
        <source>The {what} must be {digits} digits (0-9, A-F). Type it as the meter maker gives it</source>
        <translation>{what}须为 {digits} 位数字（0–9、A–F），请按电表厂家提供的填写</translation>
    </message>
    <message>
        <source>DTU {what} “{value}” is not valid. Write it like ascii:REG:{{id}} or hex:FE, where {{id}} stands for the DTU number</source>
        <translation>DTU {what}“{value}”不对：请写成 ascii:REG:{{id}} 或 hex:FE 这样，{{id}} 处是 DTU 编号</translation>
    </message>
    <message>
        <source>Write why you {doing}: the meters stay forced until prepaid control is restored, and the reason is kept in the audit log</source>
        <translation>请写明{p1}的原因：表将保持强制状态，直到恢复预付费，原因记入操作日志</translation>
    </message>
    <message>
        <source>Meter (id {ids}) not found. Refresh the list and try again</source>
        <translation>表（编号 {ids}）不存在，请刷新列表后重试</translation>
    </message>
    <message>
        <source>read meters now</source>
        <translation>立即抄表</translation>
    </message>
    <message>
        <source>{what}: {problem}</source>
        <translation>{what}：{problem}</translation>
    </message>
    <message>
        <source>Alarm 1</source>
        <translation>一级报警金额</translation>
    </message>
    <message>
        <source>Alarm 2</source>
        <translation>二级报警金额</translation>
    </message>
    <message>
        <source>Overdraft limit</source>
        <translation>透支额度</translation>
    </message>
    <message>
        <source>set holidays</source>
        <translation>设置节假日</translation>
    </message>
    <message>
        <source>There is already a meter with address {address} {where}{owner}. Addresses cannot repeat on one channel: check the address or the channel</source>
        <translation>{where}已有地址为 {address} 的表{owner}；同一通道上的表地址不能重复，请核对表地址或通道</translation>
    </message>
    <message>
        <source>on channel “{channel}”</source>
        <translation>通道“{channel}”上</translation>
    </message>
    <message>
        <source>among the meters without a channel</source>
        <translation>没有通道的表里</translation>
    </message>
    <message>
        <source> (stall {code})</source>
        <translation>（档位 {code}）</translation>
    </message>
    <message>
        <source>{what} “{reading}” is not valid. Type the {unit} reading: zero or more, at most {places} decimals</source>
        <translation>{what}“{reading}”不对：应为不小于零的 {unit} 读数，最多 {places} 位小数</translation>
    </message>
    <message>
        <source>{what} (id {obj_id}) not found. Refresh and try again</source>
        <translation>找不到{what}（编号 {obj_id}），请刷新后重试</translation>
    </message>
    <message>
        <source>The profile “{profile}” is for {profile_kind} meters, but this is a {kind} meter. Choose a model for {kind} meters</source>
        <translation>型号配置“{profile}”用于{p2}，这块表是{p3}，请选择{p3}的型号</translation>
    </message>
    <message>
        <source>Choose {a} {kind} tariff: a stall&apos;s meter without one is billed nothing for its usage</source>
        <translation>请选择{p1}：档位的表没有{p1}，用量就不计费</translation>
    </message>
    <message>
        <source>“{name}” is {a_tariff} {tariff_kind} tariff; {a} {kind} meter needs {a} {kind} tariff</source>
        <translation>“{name}”是{tariff_text}，{kind_text}要选{wanted}</translation>
    </message>
    <message>
        <source>{wrong}. Choose one</source>
        <translation>{wrong}</translation>
    </message>
    <message>
        <source>add meters</source>
        <translation>添加表计</translation>
    </message>
    <message>
        <source>edit meters</source>
        <translation>修改表计</translation>
    </message>
    <message>
        <source>remove meters</source>
        <translation>删除或停用表计</translation>
    </message>
    <message>
        <source>replace meters</source>
        <translation>换表</translation>
    </message>
    <message>
        <source>The old meter&apos;s final reading</source>
        <translation>旧表止码</translation>
    </message>
    <message>
        <source>The new meter&apos;s first reading</source>
        <translation>新表起码</translation>
    </message>
    <message>
        <source>handle abnormal readings</source>
        <translation>处理异常读数</translation>
    </message>
    <message>
        <source>Customer “{name}” ({shown}) is already there. Edit that customer in the customer list, or choose them in the stall</source>
        <translation>客户“{name}”（{shown}）已经有了；请在客户列表里修改这位客户，或在档位里选择他/她</translation>
    </message>
    <message>
        <source>Customer “{c_name}” is still owner or tenant of stall {codes}, so it cannot be deleted. Edit those stalls under Stalls first and change or clear their tenant and owner</source>
        <translation>客户“{c_name}”还是档位 {codes} 的业主或租户，不能删除；请先在“档位”里编辑这些档位，换掉或清空租户、业主</translation>
    </message>
    <message>
        <source>{what} is required. Fill it in</source>
        <translation>{what}必须填写</translation>
    </message>
    <message>
        <source>phone {phone}</source>
        <translation>电话 {phone}</translation>
    </message>
    <message>
        <source>no phone</source>
        <translation>无电话</translation>
    </message>
    <message>
        <source>{codes} and {more} more</source>
        <translation>{codes} 等 {total} 个档位</translation>
    </message>
    <message>
        <source>The building name</source>
        <translation>楼栋名称</translation>
    </message>
    <message>
        <source>The stall code</source>
        <translation>档位号</translation>
    </message>
    <message>
        <source>The customer name</source>
        <translation>客户姓名</translation>
    </message>
    <message>
        <source>add buildings</source>
        <translation>新建楼栋</translation>
    </message>
    <message>
        <source>edit buildings</source>
        <translation>修改楼栋</translation>
    </message>
    <message>
        <source>delete buildings</source>
        <translation>删除楼栋</translation>
    </message>
    <message>
        <source>add stalls</source>
        <translation>新建档位</translation>
    </message>
    <message>
        <source>edit stalls</source>
        <translation>修改档位</translation>
    </message>
    <message>
        <source>delete stalls</source>
        <translation>删除档位</translation>
    </message>
    <message>
        <source>add customers</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>edit customers</source>
        <translation>修改客户</translation>
    </message>
    <message>
        <source>delete customers</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <source>This is an old Excel 97-2003 (.xls) file (or a password-protected file); the program reads .xlsx only. {save_as} (remove the password first, if any)</source>
        <translation>这是旧版 Excel 97-2003 (.xls) 文件（或设了打开密码的文件），程序只读 .xlsx。{save_as}（有密码的先取消密码）</translation>
    </message>
    <message>
        <source>No header row found in the file. Use the downloaded template, with the headers in the row above the data (such as “Stall code”, “Stall name”)</source>
        <translation>文件里找不到表头行，请使用下载的模板，表头写在数据上方一行（如“档位编号”“档位名称”）</translation>
    </message>
    <message>
        <source>This is a CSV / text file, not an .xlsx workbook. {save_as}</source>
        <translation>这是 CSV / 文本文件，不是 .xlsx。{save_as}</translation>
    </message>
    <message>
        <source>Open it in Excel or WPS, choose File → Save As, type “Excel Workbook (*.xlsx)”, and import that file</source>
        <translation>请用 Excel 或 WPS 打开，“文件 → 另存为”，保存类型选“Excel 工作簿 (*.xlsx)”，再导入</translation>
    </message>
    <message>
        <source>Unknown import type “{kind}”. Choose one of: {kinds}</source>
        <translation>不认识的导入类型“{kind}”，可选：{kinds}</translation>
    </message>
    <message>
        <source>{first}, {second}</source>
        <translation>{first}、{second}</translation>
    </message>
    <message>
        <source>Stall codes {codes} differ only in upper and lower case, so it is not clear which is meant. Type the code exactly as stored, or change one of them under Stalls</source>
        <translation>档位号 {codes} 只差字母大小写，无法确定是哪一个：请按原样输入档位号，或在“档位”里把其中一个改成别的编号</translation>
    </message>
    <message>
        <source>The pool amount</source>
        <translation>公摊总额</translation>
    </message>
    <message>
        <source>The coefficient of stall {stall}</source>
        <translation>档位 {stall} 的系数</translation>
    </message>
    <message>
        <source>The fixed amount of stall {stall}</source>
        <translation>档位 {stall} 的固定金额</translation>
    </message>
    <message>
        <source>The usage limit</source>
        <translation>用量上限</translation>
    </message>
    <message>
        <source>The price of {rate}</source>
        <translation>{rate}的单价</translation>
    </message>
    <message>
        <source>A password of digits only is too easy to guess. Add letters or signs</source>
        <translation>纯数字的密码太容易被猜到。请加上字母或符号</translation>
    </message>
    <message>
        <source>The current password is not right. Type the password you sign in with now</source>
        <translation>当前密码不对。请输入您现在登录用的密码</translation>
    </message>
    <message>
        <source>The new password is the same as the current one. Choose another password</source>
        <translation>新密码与当前密码相同。请换一个密码</translation>
    </message>
    <message>
        <source>Too many wrong passwords: user “{username}” is locked until {until}. Try again then, or ask an administrator to unlock it</source>
        <translation>密码连续输错次数过多：用户“{username}”已锁定到 {until}。请到时再试，或请管理员解锁</translation>
    </message>
    <message>
        <source>Start the desktop program and follow its setup, or run: {create} ({demo} opens the demo market)</source>
        <translation>请打开桌面程序按初始设置向导操作，或运行：{create}（{demo} 打开演示市场）</translation>
    </message>
    <message>
        <source>The database has no market yet. {how}</source>
        <translation>数据库里还没有市场。{how}</translation>
    </message>
    <message>
        <source>The database holds several markets ({codes}). Name one with --market CODE</source>
        <translation>数据库中有多个市场（{codes}），请用 --market 代码 指定其中一个</translation>
    </message>
    <message>
        <source>There is no market with the code “{market_code}” (there are: {codes})</source>
        <translation>没有代码为“{market_code}”的市场（现有：{codes}）</translation>
    </message>
    <message>
        <source>The market needs a name (at most 100 characters). Type its name</source>
        <translation>请填写市场名称（最多 100 个字）</translation>
    </message>
    <message>
        <source>The {what} can have at most {most} characters. Shorten it</source>
        <translation>{what}最多 {most} 个字，请缩短</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>service phone</source>
        <translation>服务电话</translation>
    </message>
    <message>
        <source>Market code “{market_code}” is not valid: use 1 to 20 letters, digits, - or _ (e.g. M001)</source>
        <translation>市场代码“{market_code}”无效：请用 1 到 20 个字母、数字、- 或 _（如 M001）</translation>
    </message>
    <message>
        <source>A market with the code “{market_code}” exists already. Choose another</source>
        <translation>代码为“{market_code}”的市场已存在，请换一个</translation>
    </message>
    <message>
        <source>Time zone “{timezone}” is not known. Type it like Asia/Shanghai or Asia/Urumqi</source>
        <translation>时区“{timezone}”不认识，请按 Asia/Shanghai 或 Asia/Urumqi 的格式填写</translation>
    </message>
    <message>
        <source>The market “{market}” has users already: an administrator adds further users (Settings → Users, or user add --operator ADMIN)</source>
        <translation>市场“{market}”已有用户：其他用户请由管理员添加（设置 → 用户，或 user add --operator 管理员）</translation>
    </message>
    <message>
        <source>The market&apos;s first user must be an administrator (--role admin): only an administrator can add the others</source>
        <translation>市场的第一个用户必须是管理员（--role admin）：其他用户只能由管理员添加</translation>
    </message>
    <message>
        <source>Meter reading is already running for this market on PC “{host}” (process {pid}, since {since}). Only one meter reading service may run per market: stop that one first, or start this one with --standby to take over when it stops.</source>
        <translation>本市场的抄表服务已在电脑“{host}”上运行（进程 {pid}，自 {since} 起）。每个市场只能运行一个抄表服务：请先停止那一个，或用 --standby 启动本服务，待它停止后接替。</translation>
    </message>
    <message>
        <source>There is no user “{username}” in this market. Check the user name</source>
        <translation>本市场没有用户“{username}”，请检查用户名</translation>
    </message>
    <message>
        <source>receipt header lines</source>
        <translation>收据抬头</translation>
    </message>
    <message>
        <source>receipt footer lines</source>
        <translation>收据页脚</translation>
    </message>
    <message>
        <source>This stall is not among your stalls. Bind it by scanning its QR code, or ask its owner to authorize your phone</source>
        <translation>这个档位不在您的档位里。请扫描档位二维码绑定，或请业主授权您的手机号</translation>
    </message>
    <message>
        <source>This QR code is not (or no longer) a stall&apos;s code. Scan the newest receipt or the stall plate, or ask the property office</source>
        <translation>这个二维码不是（或已不再是）档位的二维码。请扫描最新的收据或档位牌，或咨询物业办公室</translation>
    </message>
    <message>
        <source>Stall {stall} has no phone on record to send the code to. Ask the property office to add the tenant&apos;s phone</source>
        <translation>档位 {stall} 没有登记手机号，无法发送验证码。请联系物业办公室登记租户手机号</translation>
    </message>
    <message>
        <source>Only the owner on record of stall {stall} may authorize or remove phones</source>
        <translation>只有档位 {stall} 登记的业主才能授权或移除手机号</translation>
    </message>
    <message>
        <source>The phone {phone} already sees stall {stall}</source>
        <translation>手机号 {phone} 已经可以查看档位 {stall}</translation>
    </message>
    <message>
        <source>The tenants&apos; portal has no address yet, so a plate&apos;s QR code would lead nowhere. Set it first: python -m app sms setup --provider outbox --portal-url https://…</source>
        <translation>租户自助服务还没有设置地址，档位牌上的二维码将无处可去。请先设置：python -m app sms setup --provider outbox --portal-url https://…</translation>
    </message>
    <message>
        <source>“{phone}” is not a mobile number. Type the 11 digits, e.g. 13800138000</source>
        <translation>“{phone}”不是手机号，请输入11位数字，如 13800138000</translation>
    </message>
    <message>
        <source>A code was sent less than a minute ago. Please wait {seconds} seconds before asking for another one</source>
        <translation>验证码发送不到一分钟，请 {seconds} 秒后再获取</translation>
    </message>
    <message>
        <source>This phone has asked for {limit} codes today, the most a day. Please try again tomorrow or ask the property office</source>
        <translation>这个手机号今天已获取 {limit} 次验证码，已达每日上限。请明天再试或咨询物业办公室</translation>
    </message>
    <message>
        <source>Too many codes were asked for from this network in the last hour. Please try again in an hour or ask the property office</source>
        <translation>此网络在一小时内获取的验证码太多。请一小时后再试或咨询物业办公室</translation>
    </message>
    <message>
        <source>The code has expired or was used up. Please ask for a new code</source>
        <translation>验证码已过期或已使用，请重新获取</translation>
    </message>
    <message>
        <source>Wrong code. {left} tries left, then ask for a new code</source>
        <translation>验证码错误，还可以再试 {left} 次，之后请重新获取</translation>
    </message>
    <message>
        <source>Wrong code five times: this code no longer works. Please ask for a new code</source>
        <translation>验证码已输错五次，已失效，请重新获取</translation>
    </message>
    <message>
        <source>Unknown SMS provider “{provider}”. Choose one of: {choices}</source>
        <translation>未知的短信服务商“{provider}”，请从以下选择：{choices}</translation>
    </message>
    <message>
        <source>Please fill in the SMS setting “{key}” of {provider}</source>
        <translation>请填写 {provider} 的短信设置“{key}”</translation>
    </message>
    <message>
        <source>The portal address “{url}” must start with https:// (or http:// for a test on this PC)</source>
        <translation>自助服务地址“{url}”必须以 https:// 开头（本机测试可用 http://）</translation>
    </message>
    <message>
        <source>The text message could not be sent ({problem}). Try again in a minute; if it keeps failing, ask the property office</source>
        <translation>短信发送失败（{problem}）。请一分钟后重试；如果一直失败，请咨询物业办公室</translation>
    </message>
    <message>
        <source>{provider} is not set up for this market. Ask an administrator to fill it in under Settings → Online payments</source>
        <translation>本市场尚未设置{provider}。请管理员在 设置 → 在线支付 中填写</translation>
    </message>
    <message>
        <source>Way of paying “{method}” is not known. Choose one of: {names}</source>
        <translation>支付方式“{method}”无法识别。请选择：{names}</translation>
    </message>
    <message>
        <source>An online recharge is 1.00 to 50000.00 yuan; {amount} yuan cannot be paid</source>
        <translation>线上充值金额为 1.00 至 50000.00 元，{amount} 元无法支付</translation>
    </message>
    <message>
        <source>{provider} could not be reached or refused the request ({detail}). Try again in a minute; if it goes on, check the merchant settings under Settings → Online payments</source>
        <translation>无法连接{provider}或请求被拒绝（{detail}）。请一分钟后再试；如仍不行，请在 设置 → 在线支付 中检查商户设置</translation>
    </message>
    <message>
        <source>Please fill in “{field}” for {provider}</source>
        <translation>请填写{provider}的“{field}”</translation>
    </message>
    <message>
        <source>The APIv3 key has 32 characters (set in the WeChat Pay merchant platform under API security). Copy it again</source>
        <translation>APIv3 密钥为 32 个字符（在微信支付商户平台的 API 安全中设置）。请重新复制</translation>
    </message>
    <message>
        <source>“{field}” is not a key in PEM form (-----BEGIN … KEY----- or CERTIFICATE). Paste the whole file&apos;s text</source>
        <translation>“{field}”不是 PEM 格式的密钥（-----BEGIN … KEY----- 或 CERTIFICATE）。请粘贴整个文件的内容</translation>
    </message>
    <message>
        <source>Payment platform “{value}” is not known. Choose wechat or alipay</source>
        <translation>支付平台“{value}”无法识别。请选择 wechat 或 alipay</translation>
    </message>
    <message>
        <source>“{value}” is not a date. Type it as YYYY-MM-DD</source>
        <translation>“{value}”不是日期。请按 YYYY-MM-DD 输入</translation>
    </message>
    <message>
        <source>The floor “{value}” is longer than 20 characters. Write it shorter, e.g. 1F or B1</source>
        <translation>楼层“{value}”超过 20 个字，请写短一些，例如 1F 或 B1</translation>
    </message>
    <message>
        <source>Alert {alert_id} was not found. Refresh the alerts list</source>
        <translation>找不到告警 {alert_id}。请刷新告警列表</translation>
    </message>
    <message>
        <source>Alert {alert_id} was already resolved by {user}. Refresh the alerts list</source>
        <translation>告警 {alert_id} 已由 {user} 处理完毕。请刷新告警列表</translation>
    </message>
    <message>
        <source>Say what was found or done (a note) before resolving the alert</source>
        <translation>处理完毕前请填写查明的情况或采取的措施（备注）</translation>
    </message>
    <message>
        <source>The note is too long: keep it to 200 characters</source>
        <translation>备注太长：请不超过 200 个字</translation>
    </message>
    <message>
        <source>{what} must be a number from {low} to {high}. Correct it and save again</source>
        <translation>{what}必须是 {low} 到 {high} 之间的数字。请改正后再保存</translation>
    </message>
    <message>
        <source>Stall “{stall}” not found. Check the stall code</source>
        <translation>找不到档位“{stall}”。请检查档位编号</translation>
    </message>
    <message>
        <source>Give both the time the market closes and the time it opens, or neither</source>
        <translation>闭市时间和开市时间要么都填，要么都不填</translation>
    </message>
    <message>
        <source>Meter (id {meter_id}) not found. Refresh and try again</source>
        <translation>找不到表计（编号 {meter_id}）。请刷新后重试</translation>
    </message>
    <message>
        <source>Meter {address} belongs to a stall, so it cannot be a building&apos;s master meter. Choose a meter bound to no stall</source>
        <translation>表计 {address} 已绑定档位，不能作为楼栋总表。请选择未绑定档位的表计</translation>
    </message>
    <message>
        <source>Building {building} has no master meter for {kind}. Mark its master meter first (losses view → master meter)</source>
        <translation>楼栋 {building} 没有{kind}总表。请先指定总表（线损 → 总表）</translation>
    </message>
    <message>
        <source>The loss threshold must be a percentage from 0 to 100 with at most 2 decimals</source>
        <translation>线损阈值必须是 0 到 100 之间的百分数，最多 2 位小数</translation>
    </message>
    <message>
        <source>Shared cost “{pool}” is not metered by a master meter of building {building}. Choose a pool of this building&apos;s master meter, or set one up under Shared costs</source>
        <translation>公摊“{pool}”不是按楼栋 {building} 的总表计量的。请选择该楼栋总表的公摊，或在“公摊”中新建一个</translation>
    </message>
    <message>
        <source>Shared cost “{pool}” would bill {pool_usage} {unit}, but the loss of building {building} from {start} to {end} is {loss} {unit}: the pool does not share among exactly this building&apos;s stalls. Correct the pool&apos;s stalls under Shared costs</source>
        <translation>公摊“{pool}”将分摊 {pool_usage} {unit}，但楼栋 {building} 在 {start} 至 {end} 的线损是 {loss} {unit}：该公摊的档位与本楼栋的档位不一致。请在“公摊”中改正其档位</translation>
    </message>
    <message>
        <source>Building {building} has no loss from {start} to {end} ({loss} {unit}): nothing to share</source>
        <translation>楼栋 {building} 在 {start} 至 {end} 没有线损（{loss} {unit}）：无可分摊</translation>
    </message>
    <message>
        <source>Unknown kind of notice “{kind}”. Choose from: {choices}</source>
        <translation>没有“{kind}”这种通知。请从以下选择：{choices}</translation>
    </message>
    <message>
        <source>Quiet hours are written as HH:MM-HH:MM (for example 22:00-08:00), or “none”; “{text}” is not</source>
        <translation>免打扰时段请写成 HH:MM-HH:MM（例如 22:00-08:00），或写“none”表示不设；“{text}”不符合</translation>
    </message>
    <message>
        <source>The notice “{kind}” needs its template code approved by the SMS provider: add it with sms setup --template {template}=SMS_…</source>
        <translation>“{kind}”通知需要短信服务商审核通过的模板代码：请用 sms setup --template {template}=SMS_… 添加</translation>
    </message>
</context>
<context>
    <name>Excel</name>
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
    <name>Files</name>
    <message>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>File not saved</source>
        <translation>文件未保存</translation>
    </message>
    <message>
        <source>The file %1 cannot be written. If it is open in Excel or WPS, close it there; or choose another folder. Then try again.</source>
        <translation>无法写入文件 %1。如果它正在 Excel 或 WPS 中打开，请先关闭；或换一个文件夹。然后再试一次。</translation>
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
    <message>
        <source>Export Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>Save the rows shown (filter, sort and visible columns as on screen) as an .xlsx file</source>
        <translation>把当前显示的行（按屏幕上的筛选、排序和显示的列）保存为 .xlsx 文件</translation>
    </message>
    <message>
        <source>Saving %1 rows …</source>
        <translation>正在保存 %1 行…</translation>
    </message>
</context>
<context>
    <name>FloorMap</name>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Low balance</source>
        <translation>余额不足</translation>
    </message>
    <message>
        <source>Power or water off</source>
        <translation>已断电/关阀</translation>
    </message>
    <message>
        <source>Forced (not prepaid)</source>
        <translation>强制（非预付费）</translation>
    </message>
    <message>
        <source>No meter read</source>
        <translation>无表或未抄读</translation>
    </message>
    <message>
        <source>no floor</source>
        <translation>未填楼层</translation>
    </message>
</context>
<context>
    <name>FloorMapView</name>
    <message>
        <source>Floor map: every stall by building and floor</source>
        <translation>楼层监控：按楼栋、楼层查看全部档位</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
</context>
<context>
    <name>HeldReadingsDialog</name>
    <message>
        <source>Held readings</source>
        <translation>异常读数</translation>
    </message>
    <message>
        <source>Meter %1 last read %2 %3. These readings are held (%4), the first one first. Accept the one that is right, or reject the first: the readings after it are then taken as if just read.</source>
        <translation>表 %1 上次读数 %2 %3。以下读数被暂扣（%4），按时间先后排列。请接受正确的一条，或驳回第一条：其后的读数会按刚抄到的重新判断。</translation>
    </message>
    <message>
        <source>Read at</source>
        <translation>抄表时间</translation>
    </message>
    <message>
        <source>Reading (%1)</source>
        <translation>读数（%1）</translation>
    </message>
    <message>
        <source>how it was checked, e.g. meter checked on site</source>
        <translation>如何核实的，例如：现场核对表码</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>处理说明</translation>
    </message>
    <message>
        <source>Accept the chosen reading</source>
        <translation>接受所选读数</translation>
    </message>
    <message>
        <source>Reject the first</source>
        <translation>驳回第一条</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>buildings</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>stalls</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>meters</source>
        <translation>仪表</translation>
    </message>
    <message>
        <source>Name of the building or zone; no two alike</source>
        <translation>楼栋或区域名称，不能重复</translation>
    </message>
    <message>
        <source>Time of the daily reading, such as 0:00</source>
        <translation>每天抄表的时间，如 0:00</translation>
    </message>
    <message>
        <source>Time of the settlement, such as 1:00</source>
        <translation>结算的时间，如 1:00</translation>
    </message>
    <message>
        <source>hourly, daily or monthly (default: daily)</source>
        <translation>小时、日 或 月（默认：日）</translation>
    </message>
    <message>
        <source>Unique code; a row with a stored code updates that stall</source>
        <translation>唯一编号；已有编号的行会更新该档位</translation>
    </message>
    <message>
        <source>Name of the stall or shop</source>
        <translation>档位名称或店名</translation>
    </message>
    <message>
        <source>A building already in the program (import the buildings first)</source>
        <translation>必须是系统里已有的楼栋（可先导入楼栋）</translation>
    </message>
    <message>
        <source>Square metres; decimals allowed</source>
        <translation>平方米，可带小数</translation>
    </message>
    <message>
        <source>Name of the tenant</source>
        <translation>租户姓名</translation>
    </message>
    <message>
        <source>Mobile number of the tenant</source>
        <translation>租户手机号</translation>
    </message>
    <message>
        <source>Name of the owner</source>
        <translation>业主姓名</translation>
    </message>
    <message>
        <source>Mobile number of the owner</source>
        <translation>业主手机号</translation>
    </message>
    <message>
        <source>Any remark</source>
        <translation>任意说明</translation>
    </message>
    <message>
        <source>Name of the person or company</source>
        <translation>客户姓名或单位名称</translation>
    </message>
    <message>
        <source>Mobile number; the same name and phone is the same customer</source>
        <translation>手机号；姓名+电话相同视为同一客户</translation>
    </message>
    <message>
        <source>Optional: links the customer to this stall</source>
        <translation>可选：把该客户关联到此档位</translation>
    </message>
    <message>
        <source>tenant or owner (with a stall code, tenant by default)</source>
        <translation>租户 或 业主（填了档位编号时默认租户）</translation>
    </message>
    <message>
        <source>The meter&apos;s comm address (meter No.)</source>
        <translation>仪表通讯地址（表号）</translation>
    </message>
    <message>
        <source>electricity meter or water meter</source>
        <translation>电表 或 水表</translation>
    </message>
    <message>
        <source>The meter&apos;s model, such as DDSY1352</source>
        <translation>仪表型号，如 DDSY1352</translation>
    </message>
    <message>
        <source>The stall it is bound to; empty: none (such as a master meter)</source>
        <translation>绑定的档位；空：不绑定（如总表）</translation>
    </message>
    <message>
        <source>A channel name already in the program; a meter No. may repeat on different lines: channel + meter No. is one meter</source>
        <translation>系统里已有的通道名称；表号在各条线上可以重复，通道 + 表号才是一块表</translation>
    </message>
    <message>
        <source>Current transformer ratio, a positive whole number, default 1</source>
        <translation>互感器倍率，正整数，默认 1</translation>
    </message>
    <message>
        <source>modbus, 645-2007, 645-1997 or ctwing; empty: as the channel</source>
        <translation>modbus、645-2007、645-1997 或 ctwing；空：按通道</translation>
    </message>
    <message>
        <source>A name under “Settings → Tariffs”: an electricity tariff for an electricity meter, a water tariff for a water meter; empty: a new meter takes the market&apos;s only tariff of its kind, a stored meter keeps its own</source>
        <translation>“设置 → 电价水价”里的名称，电表填电价、水表填水价；空：新表用本市场唯一的那个电价 / 水价，已有的表不变</translation>
    </message>
    <message>
        <source>Column “{header}” is missing</source>
        <translation>缺少“{header}”列</translation>
    </message>
    <message>
        <source>Add a “{header}” (or “{english}”) column to the header in row {row}; compare with the template</source>
        <translation>在第 {row} 行表头加上“{header}”列（可下载模板对照）</translation>
    </message>
    <message>
        <source>Stalls {codes} differ only in upper and lower case: it is not clear which “{code}” is</source>
        <translation>已有档位 {codes}，只差字母大小写，无法确定“{code}”是哪一个</translation>
    </message>
    <message>
        <source>Change one of them to another code under Stalls, then import again</source>
        <translation>先在“档位”里把其中一个改成别的编号，再导入</translation>
    </message>
    <message>
        <source>The stall code is the number {code}: it could be any of {codes} (the spreadsheet dropped the leading zeros)</source>
        <translation>档位编号是数字 {code}，可能是 {codes} 中的任何一个（表格软件去掉了前导零）</translation>
    </message>
    <message>
        <source>Format this column as text, type the full stall code (such as 0012) and import again</source>
        <translation>把这一列设为文本格式，写出完整的档位编号（如 0012）后再导入</translation>
    </message>
    <message>
        <source>The number {code} was taken as stall {stall} (the spreadsheet dropped the leading zeros)</source>
        <translation>数字 {code} 按档位 {stall} 处理（表格软件去掉了前导零）</translation>
    </message>
    <message>
        <source>Nothing to do; next time format this column as text to keep the zeros</source>
        <translation>无需处理；以后可把这一列设为文本格式，保留前导零</translation>
    </message>
    <message>
        <source>Same {what} as row {first_row}</source>
        <translation>{what}与第 {first_row} 行重复</translation>
    </message>
    <message>
        <source>Delete the repeated row, or give it a different code</source>
        <translation>删除重复的行，或改成不同的编号</translation>
    </message>
    <message>
        <source>“{value}” is not a known value</source>
        <translation>{what}“{value}”不认识</translation>
    </message>
    <message>
        <source>Use one of: {choices}</source>
        <translation>填写 {allowed}</translation>
    </message>
    <message>
        <source>The cell is empty</source>
        <translation>{what}为空</translation>
    </message>
    <message>
        <source>Fill in this column; it is required</source>
        <translation>填写{what}</translation>
    </message>
    <message>
        <source>“{start}…” is too long ({length} characters)</source>
        <translation>“{start}…”太长（{length} 个字）</translation>
    </message>
    <message>
        <source>Use at most {n} characters</source>
        <translation>不超过 {n} 个字</translation>
    </message>
    <message>
        <source>Phone given without a name</source>
        <translation>填了电话但没填姓名</translation>
    </message>
    <message>
        <source>Add the name in “{column}”, or delete the phone</source>
        <translation>补上{column}姓名，或删掉电话</translation>
    </message>
    <message>
        <source>Building “{name}” does not exist</source>
        <translation>楼栋“{name}”不存在</translation>
    </message>
    <message>
        <source>Import the building first, or use the name of a building in the program</source>
        <translation>先导入楼栋，或改成系统里已有的楼栋名称</translation>
    </message>
    <message>
        <source>Stall code “{code}” does not exist</source>
        <translation>档位编号“{code}”不存在</translation>
    </message>
    <message>
        <source>Import the stall first, or use a stall code in the program</source>
        <translation>先导入档位，或改成系统里已有的档位编号</translation>
    </message>
    <message>
        <source>Role given without a stall code</source>
        <translation>填了身份但没填档位编号</translation>
    </message>
    <message>
        <source>Add the stall code, or delete the role</source>
        <translation>补上档位编号，或删掉身份</translation>
    </message>
    <message>
        <source>Channel “{name}” does not exist</source>
        <translation>通道“{name}”不存在</translation>
    </message>
    <message>
        <source>Add the channel under channel settings first, or use the name of an existing channel</source>
        <translation>先在“通道设置”里添加该通道，或改成已有的通道名称</translation>
    </message>
    <message>
        <source>Meter “{address}” is a {stored} meter in the system, but this row says {typed}</source>
        <translation>表号“{address}”在系统里是{stored_kind}，本行写的是{typed_kind}</translation>
    </message>
    <message>
        <source>Check the kind or the meter number</source>
        <translation>核对类型或表号</translation>
    </message>
    <message>
        <source>Meter “{address}” is already bound to stall “{stall}”</source>
        <translation>表号“{address}”已绑定到档位“{stall}”</translation>
    </message>
    <message>
        <source>To rebind it, unbind the meter from that stall first, or check the meter address</source>
        <translation>如需换绑，请先在档位中解绑该表，或核对表号</translation>
    </message>
    <message>
        <source>Tariff “{name}” does not exist</source>
        <translation>{what}“{name}”不存在</translation>
    </message>
    <message>
        <source>Write the name of a {kind} tariff listed under Settings → Tariffs, or add it there first</source>
        <translation>填写“设置 → 电价水价”里已有的{what}名称，或先在那里添加</translation>
    </message>
    <message>
        <source>Write the name of a {kind} tariff, or check the kind</source>
        <translation>填写一个{what}的名称，或核对类型</translation>
    </message>
    <message>
        <source>This market has {count} {kind} tariffs, so it is not clear which one this meter uses</source>
        <translation>本市场有 {count} 个{what}，不知道这块表用哪一个</translation>
    </message>
    <message>
        <source>Write the name of the {kind} tariff to use in the “{column}” (tariff) column</source>
        <translation>在“{column}”列填写要用的{what}名称</translation>
    </message>
    <message>
        <source>This market has no {kind} tariff yet, and a new meter cannot be without one</source>
        <translation>本市场还没有{what}，新表不能没有{what}</translation>
    </message>
    <message>
        <source>Add a {kind} tariff under Settings → Tariffs first, then import again</source>
        <translation>先在“设置 → 电价水价”里添加{what}，再导入</translation>
    </message>
    <message>
        <source>Meter number “{address}” exists on several lines ({lines}), so it is not clear which meter is meant</source>
        <translation>表号“{address}”在多个通道上都有（{lines}），不知道是哪一块表</translation>
    </message>
    <message>
        <source>Write the meter&apos;s line in the “{column}” (channel) column</source>
        <translation>在“{column}”列填写该表所在的通道名称</translation>
    </message>
    <message>
        <source>Import of {kind}: {total} rows, {created} new, {updated} updated, {unchanged} unchanged, {bad} with errors</source>
        <translation>{kind}导入：共 {total} 行，新增 {created}，更新 {updated}，未变 {unchanged}，错误 {bad} 行</translation>
    </message>
    <message>
        <source>Import of {kind} (trial, nothing written): {total} rows, {created} new, {updated} updated, {unchanged} unchanged, {bad} with errors</source>
        <translation>{kind}导入（试导入，未写入）：共 {total} 行，新增 {created}，更新 {updated}，未变 {unchanged}，错误 {bad} 行</translation>
    </message>
    <message>
        <source>Import of {kind} (errors, no row written): {total} rows, {created} new, {updated} updated, {unchanged} unchanged, {bad} with errors</source>
        <translation>{kind}导入（有错误，未写入任何行）：共 {total} 行，新增 {created}，更新 {updated}，未变 {unchanged}，错误 {bad} 行</translation>
    </message>
    <message>
        <source>How to fill in</source>
        <translation>填写说明</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列名</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Example</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>英文列名</translation>
    </message>
    <message>
        <source>The first row is the header; title rows may go above it, empty rows are skipped. A row with a stored code updates it; an empty cell never clears what is stored.</source>
        <translation>第一行是表头，可以在表头上方加标题行；空行会跳过。已有编号的行会更新，空单元格不会清除已有内容。</translation>
    </message>
    <message>
        <source>Problem (import check)</source>
        <translation>问题（导入检查）</translation>
    </message>
    <message>
        <source>{column}: {problem}. {fix}</source>
        <translation>{column}：{problem}，{fix}</translation>
    </message>
    <message>
        <source>{problem}. {fix}</source>
        <translation>{problem}，{fix}</translation>
    </message>
    <message>
        <source>{first}; {second}</source>
        <translation>{first}；{second}</translation>
    </message>
    <message>
        <source>The formula has no computed value in the file</source>
        <translation>公式没有计算结果，请在 Excel 中另存为值</translation>
    </message>
    <message>
        <source>Open the file in Excel or WPS, copy the formula column and Paste Special → Values, save, then import</source>
        <translation>在 Excel / WPS 中打开文件，把公式列复制后“选择性粘贴 → 数值”，保存后再导入</translation>
    </message>
    <message>
        <source>Phone “{value}” is not a phone number</source>
        <translation>电话“{value}”不是电话号码</translation>
    </message>
    <message>
        <source>Use digits only, such as 13800138000 or 0571-88886666</source>
        <translation>只填数字，如 13800138000 或 0571-88886666</translation>
    </message>
    <message>
        <source>“{value}” is not a number</source>
        <translation>“{value}”不是数字</translation>
    </message>
    <message>
        <source>Type a number, such as 12.5</source>
        <translation>填写数字，如 12.5</translation>
    </message>
    <message>
        <source>“{value}” has a comma in the wrong place</source>
        <translation>“{value}”的逗号位置不对</translation>
    </message>
    <message>
        <source>A comma only separates thousands, as in 1,000.50; or leave commas out</source>
        <translation>逗号只能作千位分隔，如 1,000.50；或不用逗号</translation>
    </message>
    <message>
        <source>“{value}” has too many decimals</source>
        <translation>“{value}”小数位太多</translation>
    </message>
    <message>
        <source>Use at most {places} decimals</source>
        <translation>最多保留 {places} 位小数</translation>
    </message>
    <message>
        <source>“{value}” is less than {minimum}</source>
        <translation>“{value}”不能小于 {minimum}</translation>
    </message>
    <message>
        <source>Type a number of at least {minimum}</source>
        <translation>填写不小于 {minimum} 的数</translation>
    </message>
    <message>
        <source>“{value}” is not a time</source>
        <translation>“{value}”不是时间</translation>
    </message>
    <message>
        <source>Type a time, such as 8:00 or 08:00:00</source>
        <translation>填写时间，如 8:00 或 08:00:00</translation>
    </message>
    <message>
        <source>“{value}” is not a valid date and time</source>
        <translation>“{value}”不是有效日期时间</translation>
    </message>
    <message>
        <source>Type a time such as 8:00, or a date and time such as 2026-01-01 08:00</source>
        <translation>填写时间，如 8:00，或日期时间，如 2026-01-01 08:00</translation>
    </message>
    <message>
        <source>“{value}” is not a valid time</source>
        <translation>“{value}”不是有效时间</translation>
    </message>
    <message>
        <source>Hours 0–23 and minutes 0–59, such as 8:00</source>
        <translation>小时 0–23，分钟 0–59，如 8:00</translation>
    </message>
    <message>
        <source>Optional: the floor of the building the stall is on, e.g. 1F or B1</source>
        <translation>选填：档位所在的楼层，例如 1F 或 B1</translation>
    </message>
</context>
<context>
    <name>Import headers</name>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Building name</source>
        <translation>楼栋名称</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>区域</translation>
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
    <message>
        <source>Stall code</source>
        <translation>档位编号</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Stall No.</source>
        <translation>档位号</translation>
    </message>
    <message>
        <source>Stall name</source>
        <translation>档位名称</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>Area m²</source>
        <translation>面积㎡</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Tenant name</source>
        <translation>租户姓名</translation>
    </message>
    <message>
        <source>Tenant phone</source>
        <translation>租户电话</translation>
    </message>
    <message>
        <source>Tenant mobile</source>
        <translation>租户手机</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Owner name</source>
        <translation>业主姓名</translation>
    </message>
    <message>
        <source>Owner phone</source>
        <translation>业主电话</translation>
    </message>
    <message>
        <source>Owner mobile</source>
        <translation>业主手机</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Customer role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Meter No.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Meter address</source>
        <translation>表地址</translation>
    </message>
    <message>
        <source>Comm address</source>
        <translation>通讯地址</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Meter kind</source>
        <translation>仪表类型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>Channel name</source>
        <translation>通道名称</translation>
    </message>
    <message>
        <source>CT ratio</source>
        <translation>倍率</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>电价/水价</translation>
    </message>
    <message>
        <source>Electricity and water tariff</source>
        <translation>电价水价</translation>
    </message>
    <message>
        <source>Electricity tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Water tariff</source>
        <translation>水价</translation>
    </message>
    <message>
        <source>Electricity tariff name</source>
        <translation>电价名称</translation>
    </message>
    <message>
        <source>Water tariff name</source>
        <translation>水价名称</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>楼层</translation>
    </message>
    <message>
        <source>Storey</source>
        <translation>所在楼层</translation>
    </message>
</context>
<context>
    <name>Import values</name>
    <message>
        <source>hourly</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>by the hour</source>
        <translation>按小时</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>时</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>日</translation>
    </message>
    <message>
        <source>day</source>
        <translation>天</translation>
    </message>
    <message>
        <source>by the day</source>
        <translation>按日</translation>
    </message>
    <message>
        <source>every day</source>
        <translation>每天</translation>
    </message>
    <message>
        <source>monthly</source>
        <translation>月</translation>
    </message>
    <message>
        <source>by the month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>every month</source>
        <translation>每月</translation>
    </message>
    <message>
        <source>electricity meter</source>
        <translation>电表</translation>
    </message>
    <message>
        <source>electric</source>
        <translation>电</translation>
    </message>
    <message>
        <source>water meter</source>
        <translation>水表</translation>
    </message>
    <message>
        <source>water</source>
        <translation>水</translation>
    </message>
    <message>
        <source>Acrel</source>
        <translation>安科瑞</translation>
    </message>
    <message>
        <source>tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>lessee</source>
        <translation>承租人</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>title holder</source>
        <translation>产权人</translation>
    </message>
    <message>
        <source>square metres</source>
        <translation>平方米</translation>
    </message>
    <message>
        <source>sq m</source>
        <translation>平米</translation>
    </message>
    <message>
        <source>Zone A</source>
        <translation>A区</translation>
    </message>
    <message>
        <source>Zhang&apos;s Vegetables</source>
        <translation>张记蔬菜</translation>
    </message>
    <message>
        <source>Zhang San</source>
        <translation>张三</translation>
    </message>
    <message>
        <source>Li Si</source>
        <translation>李四</translation>
    </message>
    <message>
        <source>RS-485 line 1</source>
        <translation>1号485</translation>
    </message>
    <message>
        <source>Commercial electricity</source>
        <translation>商业电价</translation>
    </message>
    <message>
        <source>hourly, daily or monthly</source>
        <translation>小时、日 或 月</translation>
    </message>
    <message>
        <source>tenant or owner</source>
        <translation>租户 或 业主</translation>
    </message>
    <message>
        <source>electricity meter or water meter</source>
        <translation>电表 或 水表</translation>
    </message>
    <message>
        <source>modbus, 645-2007, 645-1997 or ctwing</source>
        <translation>modbus、645-2007、645-1997 或 ctwing</translation>
    </message>
    <message>
        <source>name and phone</source>
        <translation>姓名+电话</translation>
    </message>
    <message>
        <source>channel and meter No.</source>
        <translation>通道 + 表号</translation>
    </message>
    <message>
        <source>building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>stall code</source>
        <translation>档位编号</translation>
    </message>
    <message>
        <source>no channel</source>
        <translation>无通道</translation>
    </message>
</context>
<context>
    <name>ImportView</name>
    <message>
        <source>Buildings</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Stalls</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Customers (tenants, owners)</source>
        <translation>客户（租户、业主）</translation>
    </message>
    <message>
        <source>Meters (with their stall)</source>
        <translation>仪表（含绑定档位）</translation>
    </message>
    <message>
        <source>Download template …</source>
        <translation>下载模板…</translation>
    </message>
    <message>
        <source>Choose file …</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>No file chosen</source>
        <translation>未选择文件</translation>
    </message>
    <message>
        <source>Check file</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <source>Reads every row and reports problems; nothing is written</source>
        <translation>逐行检查并报告问题，不写入任何数据</translation>
    </message>
    <message>
        <source>All or nothing (import only if every row is right)</source>
        <translation>全部或不导入（每行都正确时才导入）</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Save report …</source>
        <translation>保存检查报告…</translation>
    </message>
    <message>
        <source>Your file back, with the bad rows marked red and a column saying what to do</source>
        <translation>返回您的文件：错误行标红，并加一列说明如何处理</translation>
    </message>
    <message>
        <source>1. What to import:</source>
        <translation>1. 导入内容：</translation>
    </message>
    <message>
        <source>2. File:</source>
        <translation>2. 文件：</translation>
    </message>
    <message>
        <source>3.</source>
        <translation>3.</translation>
    </message>
    <message>
        <source>Choose the Excel file</source>
        <translation>选择 Excel 文件</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>The file %1 cannot be read. Check that it exists and is not on a disconnected drive, then choose it again.</source>
        <translation>无法读取文件 %1。请确认文件存在、所在的盘没有断开，然后重新选择。</translation>
    </message>
    <message>
        <source>Import without checking first? Check file shows the problems before anything is written.</source>
        <translation>不先检查就导入吗？“检查文件”会在写入之前列出问题。</translation>
    </message>
    <message>
        <source>Checking the file …</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <source>Importing …</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>%1 rows: %2 new, %3 changed, %4 unchanged, %5 with problems.</source>
        <translation>共 %1 行：新增 %2，更新 %3，未变 %4，有问题 %5 行。</translation>
    </message>
    <message>
        <source>Checked, nothing written yet.</source>
        <translation>已检查，尚未写入。</translation>
    </message>
    <message>
        <source>Fix the rows below in your file (or save the report), or import only the valid rows.</source>
        <translation>请在文件中改正下列各行（可保存检查报告），或只导入正确的行。</translation>
    </message>
    <message>
        <source>Imported.</source>
        <translation>已导入。</translation>
    </message>
    <message>
        <source>The rows below were left out: fix them and import the file again.</source>
        <translation>下列各行未导入：改正后再导入一次该文件。</translation>
    </message>
    <message>
        <source>Nothing was imported: some rows have problems and “All or nothing” is on.</source>
        <translation>未导入任何行：有的行有问题，且选择了“全部或不导入”。</translation>
    </message>
    <message>
        <source>%1 rows were read with a note, listed below.</source>
        <translation>有 %1 行按说明处理，见下表。</translation>
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
        <source>Account closed and refunded</source>
        <translation>销户退款</translation>
    </message>
    <message>
        <source>Account opened</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>Settlement</source>
        <translation>结算</translation>
    </message>
    <message>
        <source>Final settlement</source>
        <translation>最终结算</translation>
    </message>
    <message>
        <source>Bills issued</source>
        <translation>账单下发</translation>
    </message>
    <message>
        <source>Bill voided</source>
        <translation>账单作废</translation>
    </message>
    <message>
        <source>Property bills generated</source>
        <translation>生成物业账单</translation>
    </message>
    <message>
        <source>Shared cost created</source>
        <translation>新建公摊</translation>
    </message>
    <message>
        <source>Shared-cost stalls set</source>
        <translation>公摊档位设置</translation>
    </message>
    <message>
        <source>Shared-cost bills generated</source>
        <translation>生成公摊账单</translation>
    </message>
    <message>
        <source>Shared cost reviewed</source>
        <translation>公摊审核</translation>
    </message>
    <message>
        <source>Shared cost issued</source>
        <translation>公摊下发</translation>
    </message>
    <message>
        <source>Shared cost voided</source>
        <translation>公摊作废</translation>
    </message>
    <message>
        <source>Shared cost reversed</source>
        <translation>公摊冲正</translation>
    </message>
    <message>
        <source>Monthly report built</source>
        <translation>生成月报</translation>
    </message>
    <message>
        <source>Monthly report submitted</source>
        <translation>月报提交</translation>
    </message>
    <message>
        <source>Monthly report approved</source>
        <translation>月报审核</translation>
    </message>
    <message>
        <source>Monthly report returned</source>
        <translation>月报退回</translation>
    </message>
    <message>
        <source>Control mode</source>
        <translation>控制方式</translation>
    </message>
    <message>
        <source>Supply state</source>
        <translation>通断状态</translation>
    </message>
    <message>
        <source>Meter added</source>
        <translation>新增表</translation>
    </message>
    <message>
        <source>Meter changed</source>
        <translation>修改表</translation>
    </message>
    <message>
        <source>Meter replaced</source>
        <translation>换表</translation>
    </message>
    <message>
        <source>Meter deactivated</source>
        <translation>表停用</translation>
    </message>
    <message>
        <source>Meter deleted</source>
        <translation>删除表</translation>
    </message>
    <message>
        <source>Balance alarm</source>
        <translation>余额报警</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>Database restored from a backup</source>
        <translation>从备份恢复数据库</translation>
    </message>
    <message>
        <source>Automatic trip</source>
        <translation>自动分闸</translation>
    </message>
    <message>
        <source>Automatic close</source>
        <translation>自动合闸</translation>
    </message>
    <message>
        <source>Automatic valve close</source>
        <translation>自动关阀</translation>
    </message>
    <message>
        <source>Automatic valve open</source>
        <translation>自动开阀</translation>
    </message>
    <message>
        <source>Command cancelled</source>
        <translation>撤销指令</translation>
    </message>
    <message>
        <source>Alarm amounts set</source>
        <translation>报警金额设置</translation>
    </message>
    <message>
        <source>Friendly period set</source>
        <translation>友好时段设置</translation>
    </message>
    <message>
        <source>Holiday added</source>
        <translation>添加节假日</translation>
    </message>
    <message>
        <source>Holiday removed</source>
        <translation>删除节假日</translation>
    </message>
    <message>
        <source>Command failed</source>
        <translation>指令失败</translation>
    </message>
    <message>
        <source>Command sent again</source>
        <translation>指令重发</translation>
    </message>
    <message>
        <source>Abnormal reading accepted</source>
        <translation>异常读数接受</translation>
    </message>
    <message>
        <source>Abnormal reading rejected</source>
        <translation>异常读数拒绝</translation>
    </message>
    <message>
        <source>Stall added</source>
        <translation>新增档位</translation>
    </message>
    <message>
        <source>Stall changed</source>
        <translation>修改档位</translation>
    </message>
    <message>
        <source>Stall deleted</source>
        <translation>删除档位</translation>
    </message>
    <message>
        <source>Tenant or owner changed</source>
        <translation>租户/业主变更</translation>
    </message>
    <message>
        <source>Customer added</source>
        <translation>新增客户</translation>
    </message>
    <message>
        <source>Customer changed</source>
        <translation>修改客户</translation>
    </message>
    <message>
        <source>Customer deleted</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <source>Building added</source>
        <translation>新增楼栋</translation>
    </message>
    <message>
        <source>Building changed</source>
        <translation>修改楼栋</translation>
    </message>
    <message>
        <source>Building deleted</source>
        <translation>删除楼栋</translation>
    </message>
    <message>
        <source>Tariff added</source>
        <translation>新增电价水价</translation>
    </message>
    <message>
        <source>Tariff changed</source>
        <translation>修改电价水价</translation>
    </message>
    <message>
        <source>Charge item added</source>
        <translation>新增收费项目</translation>
    </message>
    <message>
        <source>Charge item changed</source>
        <translation>修改收费项目</translation>
    </message>
    <message>
        <source>Charge item deleted</source>
        <translation>删除收费项目</translation>
    </message>
    <message>
        <source>Channel added</source>
        <translation>新增通道</translation>
    </message>
    <message>
        <source>Channel changed</source>
        <translation>修改通道</translation>
    </message>
    <message>
        <source>Channel deleted</source>
        <translation>删除通道</translation>
    </message>
    <message>
        <source>Channel enabled</source>
        <translation>启用通道</translation>
    </message>
    <message>
        <source>Channel disabled</source>
        <translation>停用通道</translation>
    </message>
    <message>
        <source>Channel synchronised</source>
        <translation>同步通道</translation>
    </message>
    <message>
        <source>User added</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>Role changed</source>
        <translation>修改角色</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>User deactivated</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Bill</source>
        <translation>账单</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Comm channel</source>
        <translation>通讯通道</translation>
    </message>
    <message>
        <source>Charge item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Holiday</source>
        <translation>节假日</translation>
    </message>
    <message>
        <source>Ledger entry</source>
        <translation>账目</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>表计</translation>
    </message>
    <message>
        <source>Meter command</source>
        <translation>表计命令</translation>
    </message>
    <message>
        <source>Monthly report</source>
        <translation>月报表</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>收据</translation>
    </message>
    <message>
        <source>Shared cost</source>
        <translation>公摊</translation>
    </message>
    <message>
        <source>Shared-cost run</source>
        <translation>公摊账单</translation>
    </message>
    <message>
        <source>Market</source>
        <translation>市场</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Done by</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
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
        <source>Prepaid restored</source>
        <translation>恢复预付费</translation>
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
        <source>Refund at closing</source>
        <translation>销户退款</translation>
    </message>
    <message>
        <source>Bill debit</source>
        <translation>账单扣费</translation>
    </message>
    <message>
        <source>Adjustment</source>
        <translation>调整</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>All cashiers</source>
        <translation>全部收银员</translation>
    </message>
    <message>
        <source>User {user_id}</source>
        <translation>用户 {user_id}</translation>
    </message>
    <message>
        <source>Ledger entry {entry_id}</source>
        <translation>账目 {entry_id}</translation>
    </message>
    <message>
        <source>Account closed: {reason}</source>
        <translation>销户：{reason}</translation>
    </message>
    <message>
        <source>Account opened: stall {stall}</source>
        <translation>开户：档位 {stall}</translation>
    </message>
    <message>
        <source>Shared cost debited at closing: {note}</source>
        <translation>销户扣公摊：{note}</translation>
    </message>
    <message>
        <source>Property</source>
        <translation>物业费</translation>
    </message>
    <message>
        <source>Tenant portal</source>
        <translation>租户自助</translation>
    </message>
    <message>
        <source>By usage</source>
        <translation>按用量</translation>
    </message>
    <message>
        <source>By area</source>
        <translation>按面积</translation>
    </message>
    <message>
        <source>Fixed amount</source>
        <translation>固定金额</translation>
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
        <source>Not let this period; no share</source>
        <translation>本期未在租，不分摊</translation>
    </message>
    <message>
        <source>Let {days}/{days_total} days this period; shared by the day</source>
        <translation>本期在租 {days}/{days_total} 天，按天折算</translation>
    </message>
    <message>
        <source>{kind} ({pool}, {method})</source>
        <translation>{kind}（{pool}，{method}）</translation>
    </message>
    <message>
        <source>item</source>
        <translation>项</translation>
    </message>
    <message>
        <source>Shared cost: {note}</source>
        <translation>公摊：{note}</translation>
    </message>
    <message>
        <source>Not processed</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已下发</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>已冲正</translation>
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
        <translation>单一价格</translation>
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
        <source>System (automatic)</source>
        <translation>系统（自动）</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>命令行</translation>
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
        <source>Forced close</source>
        <translation>强制合闸</translation>
    </message>
    <message>
        <source>Forced trip</source>
        <translation>强制分闸</translation>
    </message>
    <message>
        <source>Forced valve open</source>
        <translation>强制开阀</translation>
    </message>
    <message>
        <source>Forced valve closed</source>
        <translation>强制关阀</translation>
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
    <message>
        <source>Identity conflict</source>
        <translation>身份冲突</translation>
    </message>
    <message>
        <source>counter went down</source>
        <translation>读数倒走</translation>
    </message>
    <message>
        <source>implausible jump</source>
        <translation>读数突增</translation>
    </message>
    <message>
        <source>register rolled over</source>
        <translation>表码翻转</translation>
    </message>
    <message>
        <source>month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>piece</source>
        <translation>个</translation>
    </message>
    <message>
        <source>Bill issued {note}</source>
        <translation>下发账单 {note}</translation>
    </message>
    <message>
        <source>Bill voided: {reason}</source>
        <translation>作废账单：{reason}</translation>
    </message>
    <message>
        <source>Voided: {reason}</source>
        <translation>作废：{reason}</translation>
    </message>
    <message>
        <source>Electricity charge</source>
        <translation>电费</translation>
    </message>
    <message>
        <source>Water this month m³</source>
        <translation>本月水量m³</translation>
    </message>
    <message>
        <source>Water last month m³</source>
        <translation>上月水量m³</translation>
    </message>
    <message>
        <source>Water charge</source>
        <translation>水费</translation>
    </message>
    <message>
        <source>Meter {meter} usage</source>
        <translation>表 {meter} 用量</translation>
    </message>
    <message>
        <source>{kind} {stamp}</source>
        <translation>{kind} {stamp}</translation>
    </message>
    <message>
        <source>{rate} period {unit}</source>
        <translation>{rate}时段 {unit}</translation>
    </message>
    <message>
        <source>Tier {level} {unit}</source>
        <translation>第{level}阶梯 {unit}</translation>
    </message>
    <message>
        <source>Usage {unit}</source>
        <translation>用量 {unit}</translation>
    </message>
    <message>
        <source>Demo recharge</source>
        <translation>演示充值</translation>
    </message>
    <message>
        <source>Demo: the balance lasts about an hour, so a trip can be seen a few minutes after the demo starts</source>
        <translation>演示：余额只够用一小时左右，演示开始后几分钟内可看到跳闸</translation>
    </message>
    <message>
        <source>Demo: done</source>
        <translation>演示：执行成功</translation>
    </message>
    <message>
        <source>approved by the submitter</source>
        <translation>由提交人审核</translation>
    </message>
    <message>
        <source>{status}, {by}</source>
        <translation>{status}，{by}</translation>
    </message>
    <message>
        <source>{month:%Y-%m}</source>
        <translation>{month.year}年{month.month}月</translation>
    </message>
    <message>
        <source>{count} stalls</source>
        <translation>{count} 户</translation>
    </message>
    <message>
        <source>{count} flagged</source>
        <translation>{count} 户异常</translation>
    </message>
    <message>
        <source>{building} total</source>
        <translation>{building} 合计</translation>
    </message>
    <message>
        <source>Market total</source>
        <translation>全市场合计</translation>
    </message>
    <message>
        <source>{kind} {address} offline {days} days</source>
        <translation>{kind}{address}离线{days}天</translation>
    </message>
    <message>
        <source>Electricity meter</source>
        <translation>电表</translation>
    </message>
    <message>
        <source>Water meter</source>
        <translation>水表</translation>
    </message>
    <message>
        <source>Electricity use</source>
        <translation>用电</translation>
    </message>
    <message>
        <source>Water use</source>
        <translation>用水</translation>
    </message>
    <message>
        <source>{what} jumped {change}%</source>
        <translation>{what}突增{change}%</translation>
    </message>
    <message>
        <source>{what} dropped {change}%</source>
        <translation>{what}骤降{change}%</translation>
    </message>
    <message>
        <source>{what} was 0 last month, {now} this month</source>
        <translation>{what}上月为 0，本月 {now}</translation>
    </message>
    <message>
        <source>{stall} closing {old}→{new}</source>
        <translation>{stall} 期末 {old}→{new}</translation>
    </message>
    <message>
        <source> and {count} stalls in all</source>
        <translation> 等 {count} 户</translation>
    </message>
    <message>
        <source>Changed since the last build: {shown}{more}; closing balances {delta} yuan in all</source>
        <translation>较上次生成有变动：{shown}{more}；期末合计 {delta} 元</translation>
    </message>
    <message>
        <source>{first}; {next}</source>
        <translation>{first}；{next}</translation>
    </message>
    <message>
        <source>{site} {month} monthly ledger ({status})</source>
        <translation>{site} {month} 月报表台账（{status}）</translation>
    </message>
    <message>
        <source>{month} monthly ledger</source>
        <translation>{month} 月报表台账</translation>
    </message>
    <message>
        <source>Building: {building}</source>
        <translation>楼栋：{building}</translation>
    </message>
    <message>
        <source>{month}&#x3000;Status: {status}</source>
        <translation>{month}&#x3000;状态：{status}</translation>
    </message>
    <message>
        <source>{at} {who} {action}</source>
        <translation>{at} {who} {action}</translation>
    </message>
    <message>
        <source>{at} {who} {action} ({comment})</source>
        <translation>{at} {who} {action}（{comment}）</translation>
    </message>
    <message>
        <source>Review trail: {steps}</source>
        <translation>审核记录：{steps}</translation>
    </message>
    <message>
        <source>Flagged when usage changes by more than {pct}% from last month or a meter is offline {days} days or more</source>
        <translation>异常规则：用量较上月变化超过 {pct}% 或仪表离线 {days} 天及以上</translation>
    </message>
    <message>
        <source>Stall code</source>
        <translation>档位编号</translation>
    </message>
    <message>
        <source>Stall name</source>
        <translation>档位名称</translation>
    </message>
    <message>
        <source>Electricity this month kWh</source>
        <translation>本月电量kWh</translation>
    </message>
    <message>
        <source>Electricity last month kWh</source>
        <translation>上月电量kWh</translation>
    </message>
    <message>
        <source>Electricity change</source>
        <translation>电量增减</translation>
    </message>
    <message>
        <source>Opening balance</source>
        <translation>期初余额</translation>
    </message>
    <message>
        <source>Closing balance</source>
        <translation>期末余额</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>异常提示</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Waiting for review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Approved (locked)</source>
        <translation>已审核（锁定）</translation>
    </message>
    <message>
        <source>Sent back</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>已重新打开</translation>
    </message>
    <message>
        <source>Manual coefficient</source>
        <translation>手动系数</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>User locked</source>
        <translation>用户已锁定</translation>
    </message>
    <message>
        <source>User unlocked</source>
        <translation>解锁用户</translation>
    </message>
    <message>
        <source>Market created</source>
        <translation>创建市场</translation>
    </message>
    <message>
        <source>Market changed</source>
        <translation>市场信息已修改</translation>
    </message>
    <message>
        <source>{market} stall {stall} electricity and water recharge</source>
        <translation>{market} {stall} 水电充值</translation>
    </message>
    <message>
        <source>Merchant ID (mchid)</source>
        <translation>商户号（mchid）</translation>
    </message>
    <message>
        <source>Official account / mini-program AppID</source>
        <translation>公众号 / 小程序 AppID</translation>
    </message>
    <message>
        <source>Merchant API certificate serial number</source>
        <translation>商户 API 证书序列号</translation>
    </message>
    <message>
        <source>Merchant API private key (apiclient_key.pem)</source>
        <translation>商户 API 私钥（apiclient_key.pem）</translation>
    </message>
    <message>
        <source>APIv3 key</source>
        <translation>APIv3 密钥</translation>
    </message>
    <message>
        <source>WeChat Pay public key ID (PUB_KEY_ID_…) or certificate serial</source>
        <translation>微信支付公钥 ID（PUB_KEY_ID_…）或平台证书序列号</translation>
    </message>
    <message>
        <source>WeChat Pay public key or platform certificate (PEM)</source>
        <translation>微信支付公钥或平台证书（PEM）</translation>
    </message>
    <message>
        <source>Notification address (https://…/pay/notify/…)</source>
        <translation>支付通知地址（https://…/pay/notify/…）</translation>
    </message>
    <message>
        <source>API address (empty: the official one)</source>
        <translation>接口地址（留空：官方地址）</translation>
    </message>
    <message>
        <source>App ID (app_id)</source>
        <translation>应用 ID（app_id）</translation>
    </message>
    <message>
        <source>Merchant PID (seller_id, 2088…)</source>
        <translation>商户 PID（seller_id，2088…）</translation>
    </message>
    <message>
        <source>App private key (PEM)</source>
        <translation>应用私钥（PEM）</translation>
    </message>
    <message>
        <source>Alipay public key (PEM)</source>
        <translation>支付宝公钥（PEM）</translation>
    </message>
    <message>
        <source>Page shown after paying (optional)</source>
        <translation>支付后返回的页面（可不填）</translation>
    </message>
    <message>
        <source>Gateway (empty: the official one)</source>
        <translation>网关地址（留空：官方地址）</translation>
    </message>
    <message>
        <source>The night load level</source>
        <translation>闭市负荷阈值</translation>
    </message>
    <message>
        <source>The usage allowed while off</source>
        <translation>断电时允许的计量</translation>
    </message>
    <message>
        <source>The days without usage</source>
        <translation>无用量天数</translation>
    </message>
    <message>
        <source>The contracted power</source>
        <translation>合同功率</translation>
    </message>
    <message>
        <source>Usage while switched off</source>
        <translation>断电/关阀仍计量</translation>
    </message>
    <message>
        <source>Above contracted power</source>
        <translation>超合同功率</translation>
    </message>
    <message>
        <source>Load while the market is closed</source>
        <translation>闭市时有负荷</translation>
    </message>
    <message>
        <source>Meter not counting</source>
        <translation>表计停走</translation>
    </message>
    <message>
        <source>Reverse energy</source>
        <translation>反向电量</translation>
    </message>
    <message>
        <source>Meter cover opened</source>
        <translation>开表盖</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>{used} kWh counted while the relay reads off (since {since})</source>
        <translation>断电期间仍计量了 {used} kWh（自 {since} 起）</translation>
    </message>
    <message>
        <source>{used} m³ counted while the valve reads closed (since {since})</source>
        <translation>关阀期间仍计量了 {used} m³（自 {since} 起）</translation>
    </message>
    <message>
        <source>{power_kw} kW read, contracted {limit_kw} kW</source>
        <translation>读到 {power_kw} kW，合同功率 {limit_kw} kW</translation>
    </message>
    <message>
        <source>{power_kw} kW at {local_time}, night level {limit_kw} kW</source>
        <translation>{local_time} 负荷 {power_kw} kW，闭市阈值 {limit_kw} kW</translation>
    </message>
    <message>
        <source>No usage since {since} ({days} days) while the stall {trades}</source>
        <translation>自 {since} 起无用量（{days} 天），而档位{trades}</translation>
    </message>
    <message>
        <source>Reverse energy went up {delta_kwh} kWh to {total_kwh} kWh</source>
        <translation>反向电量增加 {delta_kwh} kWh，达到 {total_kwh} kWh</translation>
    </message>
    <message>
        <source>Cover-open count went from {before} to {count}</source>
        <translation>开表盖次数从 {before} 变为 {count}</translation>
    </message>
    <message>
        <source>was recharged</source>
        <translation>有充值</translation>
    </message>
    <message>
        <source>used its other meters</source>
        <translation>其他表计有用量</translation>
    </message>
    <message>
        <source>Balance below alarm 1</source>
        <translation>余额低于一级报警</translation>
    </message>
    <message>
        <source>Balance below alarm 2</source>
        <translation>余额低于二级报警</translation>
    </message>
    <message>
        <source>Supply cut</source>
        <translation>停电停水</translation>
    </message>
    <message>
        <source>Recharge received</source>
        <translation>充值到账</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language is used when MarketMeter is started again. Printed receipts are always in Chinese.</source>
        <translation>新的语言在重新启动 MarketMeter 后生效。打印的收据始终为中文。</translation>
    </message>
</context>
<context>
    <name>LineTestDialog</name>
    <message>
        <source>Test channel %1</source>
        <translation>测试通道 %1</translation>
    </message>
    <message>
        <source>e.g. 1 (Modbus) or 000000001234 (DL/T 645)</source>
        <translation>如 1（Modbus）或 000000001234（DL/T 645）</translation>
    </message>
    <message>
        <source>Read now</source>
        <translation>立即读表</translation>
    </message>
    <message>
        <source>Meter address</source>
        <translation>表地址</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Meter type</source>
        <translation>表类型</translation>
    </message>
    <message>
        <source>A meter already bound to this channel is read as it is set up; the values are shown only, not stored.</source>
        <translation>已绑定在该通道上的表按其设置读取；读数只显示，不保存。</translation>
    </message>
    <message>
        <source>Reading …</source>
        <translation>正在读表 …</translation>
    </message>
    <message>
        <source>The meter did not answer.</source>
        <translation>表没有应答。</translation>
    </message>
    <message>
        <source>Not read:</source>
        <translation>未读到：</translation>
    </message>
    <message>
        <source>Read at</source>
        <translation>读表时间</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>累计读数</translation>
    </message>
    <message>
        <source>Voltage</source>
        <translation>电压</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>电流</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>功率</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>继电器</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>合闸</translation>
    </message>
    <message>
        <source>tripped</source>
        <translation>分闸</translation>
    </message>
    <message>
        <source>Valve</source>
        <translation>阀门</translation>
    </message>
    <message>
        <source>open</source>
        <translation>开</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>Lock the window after idle</source>
        <translation>无操作多久后锁屏</translation>
    </message>
    <message>
        <source>When nobody uses the keyboard or the mouse for this long, the window locks and asks the password of the signed-in user again; what was open stays as it was. 0 = never lock. Applies to this PC.</source>
        <translation>键盘和鼠标无操作达到这个时间后，窗口自动锁定，需再次输入当前用户的密码；已打开的内容保持不变。0 = 从不锁屏。仅对本机有效。</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>MarketMeter is locked</source>
        <translation>MarketMeter 已锁定</translation>
    </message>
    <message>
        <source>Type your password to go on: what was open stays as it was. Another user may sign in instead.</source>
        <translation>输入密码继续使用，已打开的内容保持不变。也可以换其他用户登录。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Switch user …</source>
        <translation>切换用户…</translation>
    </message>
    <message>
        <source>Signed in: %1 (%2)</source>
        <translation>当前用户：%1（%2）</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Checking …</source>
        <translation>正在验证…</translation>
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
    <message>
        <source>Choose your own password to sign in.</source>
        <translation>请设置您自己的密码后再登录。</translation>
    </message>
</context>
<context>
    <name>LossesView</name>
    <message>
        <source>Per day, last 31 days</source>
        <translation>按日，最近 31 天</translation>
    </message>
    <message>
        <source>Per month, last 12 months</source>
        <translation>按月，最近 12 个月</translation>
    </message>
    <message>
        <source>Master meter …</source>
        <translation>总表 …</translation>
    </message>
    <message>
        <source>Threshold …</source>
        <translation>阈值 …</translation>
    </message>
    <message>
        <source>Take into shared cost …</source>
        <translation>转入公摊 …</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Master meter %1, stalls&apos; meters %2, loss %3 (%4 %); threshold %5 %, %6 periods above it.</source>
        <translation>总表 %1，档位表合计 %2，线损 %3（%4 %）；阈值 %5 %，超过阈值 %6 个周期。</translation>
    </message>
    <message>
        <source>Add a building first (Settings → Buildings).</source>
        <translation>请先添加楼栋（设置 → 楼栋）。</translation>
    </message>
    <message>
        <source>Loss within threshold</source>
        <translation>线损未超阈值</translation>
    </message>
    <message>
        <source>Loss above threshold</source>
        <translation>线损超过阈值</translation>
    </message>
    <message>
        <source>Loss (%1)</source>
        <translation>线损（%1）</translation>
    </message>
    <message>
        <source>Master meter</source>
        <translation>总表</translation>
    </message>
    <message>
        <source>There is no meter without a stall. Add the master meter under Meters, bound to no stall, first.</source>
        <translation>没有未绑定档位的表计。请先在“表计”中添加总表（不绑定档位）。</translation>
    </message>
    <message>
        <source>The master meter of building %1:</source>
        <translation>楼栋 %1 的总表：</translation>
    </message>
    <message>
        <source>Loss threshold</source>
        <translation>线损阈值</translation>
    </message>
    <message>
        <source>Flag the days and months of building %1 whose loss is above (%):</source>
        <translation>楼栋 %1 的线损率超过多少（%）时标出：</translation>
    </message>
    <message>
        <source>Take into shared cost</source>
        <translation>转入公摊</translation>
    </message>
    <message>
        <source>Choose a period (a month is usual) in the table first.</source>
        <translation>请先在表中选择一个周期（通常是一个月）。</translation>
    </message>
    <message>
        <source>No shared cost is metered by this building&apos;s master meter. Set one up under Shared costs (with this master meter), then come back.</source>
        <translation>没有按本楼栋总表计量的公摊。请先在“公摊”中新建（选择这个总表），再回来。</translation>
    </message>
    <message>
        <source>Share the loss of %1 to %2 (%3) among the stalls through:</source>
        <translation>将 %1 至 %2 的线损（%3）分摊给各档位，使用公摊：</translation>
    </message>
    <message>
        <source>Shared bills generated: ¥%1 for %2 stalls. Review and issue them under Shared costs.</source>
        <translation>已生成公摊账单：¥%1，共 %2 个档位。请在“公摊”中审核并下发。</translation>
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
        <source>Customers</source>
        <translation>客户</translation>
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
        <source>Operation log</source>
        <translation>操作日志</translation>
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
        <source>Sign out / switch user</source>
        <translation>退出登录 / 切换用户</translation>
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
    <message>
        <source>Shared costs</source>
        <translation>公摊</translation>
    </message>
    <message>
        <source>Monthly ledger</source>
        <translation>月报表台账</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Excel import</source>
        <translation>Excel 导入</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>账户(&amp;A)</translation>
    </message>
    <message>
        <source>Lock now</source>
        <translation>立即锁屏</translation>
    </message>
    <message>
        <source>Change my password …</source>
        <translation>修改我的密码…</translation>
    </message>
    <message>
        <source>Sign out / switch user …</source>
        <translation>退出登录 / 切换用户…</translation>
    </message>
    <message>
        <source>Your password has been changed.</source>
        <translation>您的密码已修改。</translation>
    </message>
    <message>
        <source>Floor map</source>
        <translation>楼层监控</translation>
    </message>
    <message>
        <source>Line losses</source>
        <translation>线损分析</translation>
    </message>
    <message>
        <source>Safety alerts</source>
        <translation>安全告警</translation>
    </message>
</context>
<context>
    <name>MarketDetailsPage</name>
    <message>
        <source>e.g. Property office, open 8:00–18:00</source>
        <translation>如：物业办公室，营业时间 8:00–18:00</translation>
    </message>
    <message>
        <source>e.g. Keep this receipt. Thank you!</source>
        <translation>如：请妥善保管收据，谢谢！</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Saved. The next receipt prints it.</source>
        <translation>已保存，下一张收据就按新的内容打印。</translation>
    </message>
    <message>
        <source>Market code</source>
        <translation>市场代码</translation>
    </message>
    <message>
        <source>Market name</source>
        <translation>市场名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Service phone</source>
        <translation>服务电话</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>Receipt header lines</source>
        <translation>收据抬头</translation>
    </message>
    <message>
        <source>Receipt footer lines</source>
        <translation>收据页脚</translation>
    </message>
    <message>
        <source>The name, address, service phone and these lines are printed on every receipt. Every time the program shows, and the days of its reports, are in the time zone.</source>
        <translation>市场名称、地址、服务电话和抬头、页脚会打印在每张收据上。程序显示的所有时间和报表的日期都按这里的时区计算。</translation>
    </message>
    <message>
        <source>Only an administrator can change these settings.</source>
        <translation>只有管理员可以修改这些设置。</translation>
    </message>
    <message>
        <source>Show every time and count the days of the reports in the time zone %1 instead of %2?</source>
        <translation>确定把显示的时间和报表的日期从时区 %2 改为 %1 吗？</translation>
    </message>
</context>
<context>
    <name>MarketPage</name>
    <message>
        <source>1 / 7  The market</source>
        <translation>1 / 7  市场</translation>
    </message>
    <message>
        <source>Its name, address and service phone are printed on every receipt.</source>
        <translation>市场名称、地址和服务电话会打印在每张收据上。</translation>
    </message>
    <message>
        <source>e.g. Property office, open 8:00–18:00</source>
        <translation>如：物业办公室，营业时间 8:00–18:00</translation>
    </message>
    <message>
        <source>e.g. Keep this receipt. Thank you!</source>
        <translation>如：请妥善保管收据，谢谢！</translation>
    </message>
    <message>
        <source>Market name</source>
        <translation>市场名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Service phone</source>
        <translation>服务电话</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>Receipt header lines</source>
        <translation>收据抬头</translation>
    </message>
    <message>
        <source>Receipt footer lines</source>
        <translation>收据页脚</translation>
    </message>
</context>
<context>
    <name>MeterDialog</name>
    <message>
        <source>NB water meter (%1)</source>
        <translation>NB 水表（%1）</translation>
    </message>
    <message>
        <source>Electricity meter</source>
        <translation>电表</translation>
    </message>
    <message>
        <source>Water meter</source>
        <translation>水表</translation>
    </message>
    <message>
        <source>Add meter</source>
        <translation>添加表计</translation>
    </message>
    <message>
        <source>Edit meter %1</source>
        <translation>修改表计 %1</translation>
    </message>
    <message>
        <source>Stall code; empty for a meter of no stall (master meter)</source>
        <translation>档位编号；总表等不属于档位的表留空</translation>
    </message>
    <message>
        <source>No channel (not read)</source>
        <translation>无通道（不抄表）</translation>
    </message>
    <message>
        <source>Slave id on an RS485 line, meter number, or NB device id</source>
        <translation>485 总线上的从站地址、表号或 NB 设备号</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>表计类型</translation>
    </message>
    <message>
        <source>Model / profile</source>
        <translation>型号配置</translation>
    </message>
    <message>
        <source>Model (as on the nameplate)</source>
        <translation>型号（按铭牌）</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>Meter address</source>
        <translation>表地址</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>电价 / 水价</translation>
    </message>
    <message>
        <source>CT ratio</source>
        <translation>倍率</translation>
    </message>
    <message>
        <source>Add a channel under Settings → Channels first, or the meter is not read.</source>
        <translation>请先在“设置 → 通道”里添加通道，否则这块表不会被抄读。</translation>
    </message>
    <message>
        <source>As now: %1</source>
        <translation>保持不变：%1</translation>
    </message>
    <message>
        <source>No tariff (not billed)</source>
        <translation>无电价 / 水价（不计费）</translation>
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
    <name>MeterPicker</name>
    <message>
        <source>Choose meters</source>
        <translation>选择表计</translation>
    </message>
    <message>
        <source>Filter: stall code or name, meter address …</source>
        <translation>筛选：档位号或名称、表地址…</translation>
    </message>
    <message>
        <source>Tick all shown</source>
        <translation>勾选显示的全部</translation>
    </message>
    <message>
        <source>Untick all shown</source>
        <translation>取消显示的全部</translation>
    </message>
    <message>
        <source>%1 chosen</source>
        <translation>已选 %1 块</translation>
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
        <source>Add meter …</source>
        <translation>添加表计…</translation>
    </message>
    <message>
        <source>Edit …</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Replace …</source>
        <translation>换表…</translation>
    </message>
    <message>
        <source>Remove …</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Only an administrator can add, change or remove meters.</source>
        <translation>只有管理员可以添加、修改或移除表计。</translation>
    </message>
    <message>
        <source>One meter:</source>
        <translation>单块表计：</translation>
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
        <source>Meters</source>
        <translation>表计</translation>
    </message>
    <message>
        <source>Click a meter in the list first.</source>
        <translation>请先在列表中点选一块表。</translation>
    </message>
    <message>
        <source>meter %1 of stall %2</source>
        <translation>档位 %2 的表计（表地址 %1）</translation>
    </message>
    <message>
        <source>meter %1 (no stall)</source>
        <translation>表计（表地址 %1，不属于任何档位）</translation>
    </message>
    <message>
        <source> on channel %1</source>
        <translation>，通道 %1</translation>
    </message>
    <message>
        <source>Take meter out of use</source>
        <translation>停用表计</translation>
    </message>
    <message>
        <source>Take %1 out of use? It has readings or bills, so it is kept in the history and no longer read; its usage read but not yet settled is still billed by the next settlement. Its address on the channel is free again.</source>
        <translation>停用%1？这块表已有读数或账单，所以保留在历史记录中，不再抄读；已抄表未结算的用量仍由下一次结算计费。它在该通道上的表地址可以给其他表使用。</translation>
    </message>
    <message>
        <source>Delete meter</source>
        <translation>删除表计</translation>
    </message>
    <message>
        <source>Delete %1? It has no readings and no bills, so it is deleted as entered by mistake.</source>
        <translation>删除%1？这块表没有读数也没有账单，按录入错误直接删除。</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Select a meter first.</source>
        <translation>请先选择一块表。</translation>
    </message>
    <message>
        <source>Identity conflict</source>
        <translation>身份冲突</translation>
    </message>
    <message>
        <source>Command being retried</source>
        <translation>命令重试中</translation>
    </message>
    <message>
        <source>Identity …</source>
        <translation>身份 …</translation>
    </message>
    <message>
        <source>A 4G meter&apos;s SIM, bound on its first registration: accept a new one or clear it after an identity conflict</source>
        <translation>4G电表首次注册时绑定的 SIM 卡：身份冲突后接受新卡或清除绑定</translation>
    </message>
    <message>
        <source>Held readings …</source>
        <translation>异常读数 …</translation>
    </message>
    <message>
        <source>Meter %1</source>
        <translation>表 %1</translation>
    </message>
    <message>
        <source>SIM bound: %1</source>
        <translation>已绑定的 SIM 卡：%1</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>尚未绑定</translation>
    </message>
    <message>
        <source>SIM of the refused registrations: %1</source>
        <translation>被拒绝注册的 SIM 卡：%1</translation>
    </message>
    <message>
        <source>Another device keeps registering with this meter&apos;s number (identity conflict). Check the meter on site before deciding.</source>
        <translation>另有设备不断以这块表的表号注册（身份冲突）。请先到现场核实再处理。</translation>
    </message>
    <message>
        <source>Dial-in identity</source>
        <translation>上线身份</translation>
    </message>
    <message>
        <source>Accept the new SIM</source>
        <translation>接受新 SIM 卡</translation>
    </message>
    <message>
        <source>Clear the binding</source>
        <translation>清除绑定</translation>
    </message>
    <message>
        <source>Held readings</source>
        <translation>异常读数</translation>
    </message>
    <message>
        <source>No readings are held for meter %1.</source>
        <translation>表 %1 没有被暂扣的读数。</translation>
    </message>
</context>
<context>
    <name>MonthlyView</name>
    <message>
        <source>Built</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>Sent back</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Draft: check it, then submit it for review</source>
        <translation>草稿：核对后提交审核</translation>
    </message>
    <message>
        <source>Submitted: waiting for the reviewer</source>
        <translation>已提交：等待审核员审核</translation>
    </message>
    <message>
        <source>Approved and locked: nothing in this month can change any more</source>
        <translation>已审核并锁定：本月数据不能再更改</translation>
    </message>
    <message>
        <source>Sent back: rebuild it after the corrections, then submit again</source>
        <translation>已退回：改正后重新生成，再提交</translation>
    </message>
    <message>
        <source>Reopened: make the corrections, rebuild it, then submit it again</source>
        <translation>已重新打开：请做完更正后重新生成，再提交审核</translation>
    </message>
    <message>
        <source>Flagged rows only</source>
        <translation>只看异常行</translation>
    </message>
    <message>
        <source>Build / rebuild</source>
        <translation>生成 / 重新生成</translation>
    </message>
    <message>
        <source>Submit for review</source>
        <translation>提交审核</translation>
    </message>
    <message>
        <source>Approve and lock</source>
        <translation>审核通过并锁定</translation>
    </message>
    <message>
        <source>Send back …</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Reopen …</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <source>Unlock the approved month to correct it (administrator, with a reason)</source>
        <translation>解除已审核月份的锁定以便更正（管理员，须写明原因）</translation>
    </message>
    <message>
        <source>Excel …</source>
        <translation>Excel…</translation>
    </message>
    <message>
        <source>PDF …</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>Print …</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Who did what</source>
        <translation>操作记录</translation>
    </message>
    <message>
        <source>Not built yet: press “Build / rebuild”</source>
        <translation>尚未生成：请按“生成 / 重新生成”</translation>
    </message>
    <message>
        <source>(approved by the submitter)</source>
        <translation>（由提交人审核）</translation>
    </message>
    <message>
        <source>Site: %1 stalls, %2 flagged. Opening ¥%3 + recharges ¥%4 − bills ¥%5 = closing ¥%6</source>
        <translation>全市场：%1 户，异常 %2 户。期初 ¥%3 + 充值 ¥%4 − 账单 ¥%5 = 期末 ¥%6</translation>
    </message>
    <message>
        <source>%1 has not ended yet (it ends at %2): build a draft to look at it; it can be submitted and approved once the month has ended.</source>
        <translation>%1 还没有结束（到 %2 才结束）：现在可以生成草稿查看，月份结束后才能提交和审核。</translation>
    </message>
    <message>
        <source>You submitted this month: another person approves it (four eyes). An administrator can allow one-person offices under Settings → Users and roles.</source>
        <translation>本月报表是您提交的，须由另一人审核（双人复核）。只有一个人的办公室，可由管理员在“设置 → 用户与角色”中允许提交人审核。</translation>
    </message>
    <message>
        <source>Working on %1 …</source>
        <translation>正在处理 %1…</translation>
    </message>
    <message>
        <source>Reopen the approved month</source>
        <translation>重新打开已审核的月份</translation>
    </message>
    <message>
        <source>Why is %1 reopened? (kept in the review history and the audit log; the corrections are then rebuilt, submitted and approved again)</source>
        <translation>为什么重新打开 %1？（原因记入审核记录和操作日志；更正后须重新生成、提交并再次审核）</translation>
    </message>
    <message>
        <source>Send back</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>What must be corrected?</source>
        <translation>需要改正什么？</translation>
    </message>
    <message>
        <source>Saving …</source>
        <translation>正在保存…</translation>
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
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>OnlinePaymentsPage</name>
    <message>
        <source>Tenants may pay with it</source>
        <translation>允许租户用它支付</translation>
    </message>
    <message>
        <source>Payment platform</source>
        <translation>支付平台</translation>
    </message>
    <message>
        <source>Save merchant settings</source>
        <translation>保存商户设置</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Keys are shown as •••••• once saved; leave them so to keep them. A tenant&apos;s payment is credited only when the platform&apos;s signed notification arrives.</source>
        <translation>密钥保存后显示为 ••••••；不改动即保留原密钥。租户的付款只有在收到支付平台签名的支付通知后才会入账。</translation>
    </message>
    <message>
        <source>Merchant settings</source>
        <translation>商户设置</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>对账</translation>
    </message>
    <message>
        <source>Ask about unanswered orders</source>
        <translation>查询未收到通知的订单</translation>
    </message>
    <message>
        <source>Statement of</source>
        <translation>对账日期</translation>
    </message>
    <message>
        <source>Refused notifications and reconciliation</source>
        <translation>被拒绝的通知与对账</translation>
    </message>
    <message>
        <source>Refused payment notifications (newest first)</source>
        <translation>被拒绝的支付通知（最新的在前）</translation>
    </message>
    <message>
        <source>Only an administrator can change these settings.</source>
        <translation>只有管理员可以修改这些设置。</translation>
    </message>
    <message>
        <source>None: every notification was genuine and matched</source>
        <translation>无：所有支付通知均真实且相符</translation>
    </message>
    <message>
        <source>Fetching the statements …</source>
        <translation>正在获取对账单 …</translation>
    </message>
    <message>
        <source>The statements and the credits agree.</source>
        <translation>对账单与入账一致。</translation>
    </message>
    <message>
        <source>Differences to look into: %1</source>
        <translation>需要核对的差异：%1 处</translation>
    </message>
    <message>
        <source>Orders credited after asking the platform: %1</source>
        <translation>查询支付平台后入账的订单：%1 笔</translation>
    </message>
</context>
<context>
    <name>Operators</name>
    <message>
        <source>Online</source>
        <translation>线上</translation>
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
        <source>Safety alerts</source>
        <translation>安全告警</translation>
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
        <source>No good backup for two days: the last one is from %1.</source>
        <translation>已经两天没有成功的备份：最近一份是 %1 的。</translation>
    </message>
    <message>
        <source>There is no good backup of the database yet.</source>
        <translation>数据库还没有成功的备份。</translation>
    </message>
    <message>
        <source>Look at Settings → Backups, and press “Back up now” there.</source>
        <translation>请到 设置 → 备份 查看，并点“立即备份”。</translation>
    </message>
    <message>
        <source>%1 — Overview</source>
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
        <source>%1 meters have no tariff: their usage is billed nothing. Set one with Meters → Edit</source>
        <translation>%1 块表没有设置电价/水价，用量不计费。请在“表计”里选中该表，点“修改…”设置</translation>
    </message>
    <message>
        <source>not resolved: bypass, overload, night load, tamper</source>
        <translation>未处理：窃电旁路、超载、夜间用电、开表盖等</translation>
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
        <source>Nothing is known since %1: the collection service stopped then, no meter has been read since.</source>
        <translation>%1 起情况不明：抄表服务那时已停止，之后没有抄过任何电表。</translation>
    </message>
    <message>
        <source>Meters reporting an error: %1. Latest:</source>
        <translation>%1 块表报告错误。最近的：</translation>
    </message>
    <message>
        <source>No errors in the last collection.</source>
        <translation>最近一次抄表没有错误。</translation>
    </message>
    <message>
        <source>%1 meters in identity conflict: another device registers with their number. Check them on site, then decide in Meters → Identity.</source>
        <translation>%1 块表身份冲突：另有设备以其表号注册。请到现场核实后，在“表计 → 身份”中处理。</translation>
    </message>
    <message>
        <source>unknown since %1</source>
        <translation>自 %1 起未知</translation>
    </message>
    <message>
        <source>Electricity per day, last 30 days</source>
        <translation>近 30 天每日用电量</translation>
    </message>
    <message>
        <source>Water per day, last 30 days</source>
        <translation>近 30 天每日用水量</translation>
    </message>
    <message>
        <source>Recharges per day by payment method</source>
        <translation>每日充值（按支付方式）</translation>
    </message>
    <message>
        <source>Power or water cut and given back per day</source>
        <translation>每日断电/关阀与合闸/开阀</translation>
    </message>
    <message>
        <source>Click a bar to see the list behind it</source>
        <translation>点击柱子查看明细</translation>
    </message>
    <message>
        <source>Cut (trip / valve closed)</source>
        <translation>断电/关阀</translation>
    </message>
    <message>
        <source>Given back (close / valve open)</source>
        <translation>合闸/开阀</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Tell the user this password; at the next sign-in they choose their own. A lock after wrong passwords ends too.</source>
        <translation>请把这个密码告诉该用户；下次登录时由其设置自己的密码。因输错密码造成的锁定也随之解除。</translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <source>set up communication channels</source>
        <translation>设置通讯通道</translation>
    </message>
    <message>
        <source>import communication channels</source>
        <translation>导入通讯通道</translation>
    </message>
    <message>
        <source>add comm channels</source>
        <translation>新增通讯通道</translation>
    </message>
    <message>
        <source>edit comm channels</source>
        <translation>修改通讯通道</translation>
    </message>
    <message>
        <source>disable or enable comm channels</source>
        <translation>停用或启用通讯通道</translation>
    </message>
    <message>
        <source>delete comm channels</source>
        <translation>删除通讯通道</translation>
    </message>
    <message>
        <source>read meters now</source>
        <translation>立即抄表</translation>
    </message>
    <message>
        <source>set forced on, forced off or restore prepaid</source>
        <translation>设置保电、强制断电或恢复预付费</translation>
    </message>
    <message>
        <source>change the friendly period</source>
        <translation>修改友好时段</translation>
    </message>
    <message>
        <source>set holidays</source>
        <translation>设置节假日</translation>
    </message>
    <message>
        <source>restore a backup of the database</source>
        <translation>从备份恢复数据库</translation>
    </message>
    <message>
        <source>change alarm thresholds and overdraft limits</source>
        <translation>修改报警金额和透支额度</translation>
    </message>
    <message>
        <source>import records in bulk</source>
        <translation>批量导入档案</translation>
    </message>
    <message>
        <source>add meters</source>
        <translation>添加表计</translation>
    </message>
    <message>
        <source>edit meters</source>
        <translation>修改表计</translation>
    </message>
    <message>
        <source>remove meters</source>
        <translation>删除或停用表计</translation>
    </message>
    <message>
        <source>decide meters&apos; identity conflicts</source>
        <translation>处理表计身份冲突</translation>
    </message>
    <message>
        <source>replace meters</source>
        <translation>换表</translation>
    </message>
    <message>
        <source>handle abnormal readings</source>
        <translation>处理异常读数</translation>
    </message>
    <message>
        <source>add buildings</source>
        <translation>新建楼栋</translation>
    </message>
    <message>
        <source>edit buildings</source>
        <translation>修改楼栋</translation>
    </message>
    <message>
        <source>delete buildings</source>
        <translation>删除楼栋</translation>
    </message>
    <message>
        <source>add stalls</source>
        <translation>新建档位</translation>
    </message>
    <message>
        <source>edit stalls</source>
        <translation>修改档位</translation>
    </message>
    <message>
        <source>delete stalls</source>
        <translation>删除档位</translation>
    </message>
    <message>
        <source>add customers</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>edit customers</source>
        <translation>修改客户</translation>
    </message>
    <message>
        <source>delete customers</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <source>set the owner or tenant of a stall</source>
        <translation>设置档位的业主或租户</translation>
    </message>
    <message>
        <source>take recharges</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>reverse recharges</source>
        <translation>冲正充值</translation>
    </message>
    <message>
        <source>close accounts</source>
        <translation>销户</translation>
    </message>
    <message>
        <source>open accounts</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>build monthly reports</source>
        <translation>生成月报表</translation>
    </message>
    <message>
        <source>submit monthly reports</source>
        <translation>提交月报表</translation>
    </message>
    <message>
        <source>approve monthly reports</source>
        <translation>审核月报表</translation>
    </message>
    <message>
        <source>reopen an approved monthly report</source>
        <translation>重新打开已审核的月报表</translation>
    </message>
    <message>
        <source>change who may approve monthly reports</source>
        <translation>修改月报表审核规则</translation>
    </message>
    <message>
        <source>return monthly reports</source>
        <translation>退回月报表</translation>
    </message>
    <message>
        <source>generate property bills</source>
        <translation>生成物业账单</translation>
    </message>
    <message>
        <source>issue bills</source>
        <translation>下发账单</translation>
    </message>
    <message>
        <source>void bills</source>
        <translation>作废账单</translation>
    </message>
    <message>
        <source>run settlement</source>
        <translation>结算</translation>
    </message>
    <message>
        <source>run the final settlement</source>
        <translation>最终结算</translation>
    </message>
    <message>
        <source>set up shared costs</source>
        <translation>设置公摊</translation>
    </message>
    <message>
        <source>set shared-cost coefficients</source>
        <translation>设置公摊系数</translation>
    </message>
    <message>
        <source>view shared costs</source>
        <translation>查看公摊</translation>
    </message>
    <message>
        <source>generate shared-cost bills</source>
        <translation>生成公摊账单</translation>
    </message>
    <message>
        <source>review shared-cost bills</source>
        <translation>审核公摊账单</translation>
    </message>
    <message>
        <source>issue shared-cost bills</source>
        <translation>下发公摊账单</translation>
    </message>
    <message>
        <source>void shared-cost bills</source>
        <translation>作废公摊账单</translation>
    </message>
    <message>
        <source>reverse shared-cost bills</source>
        <translation>冲正公摊账单</translation>
    </message>
    <message>
        <source>add tariffs</source>
        <translation>新增电价</translation>
    </message>
    <message>
        <source>edit tariffs</source>
        <translation>修改电价</translation>
    </message>
    <message>
        <source>add charge items</source>
        <translation>新增收费项目</translation>
    </message>
    <message>
        <source>edit charge items</source>
        <translation>修改收费项目</translation>
    </message>
    <message>
        <source>delete charge items</source>
        <translation>删除收费项目</translation>
    </message>
    <message>
        <source>view usage reports</source>
        <translation>查看用量报表</translation>
    </message>
    <message>
        <source>view shift reports</source>
        <translation>查看交班报表</translation>
    </message>
    <message>
        <source>view the arrears list</source>
        <translation>查看欠费名单</translation>
    </message>
    <message>
        <source>read the operation log</source>
        <translation>查看操作日志</translation>
    </message>
    <message>
        <source>add users</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>change user roles</source>
        <translation>修改用户角色</translation>
    </message>
    <message>
        <source>change other users&apos; passwords</source>
        <translation>修改其他用户的密码</translation>
    </message>
    <message>
        <source>deactivate users</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>set up text messages and the tenants&apos; portal, or end portal sign-ins</source>
        <translation>设置短信和租户自助服务，或结束租户登录</translation>
    </message>
    <message>
        <source>run “{action}” on meters</source>
        <translation>批量{name}</translation>
    </message>
    <message>
        <source>unlock users</source>
        <translation>解锁用户</translation>
    </message>
    <message>
        <source>create markets</source>
        <translation>创建市场</translation>
    </message>
    <message>
        <source>change the market&apos;s name, address, phone, time zone or receipt lines</source>
        <translation>修改市场名称、地址、电话、时区或小票文字</translation>
    </message>
    <message>
        <source>set up online payments</source>
        <translation>设置在线支付</translation>
    </message>
    <message>
        <source>view online payments and their reconciliation</source>
        <translation>查看在线支付及对账</translation>
    </message>
    <message>
        <source>view safety alerts</source>
        <translation>查看安全告警</translation>
    </message>
    <message>
        <source>acknowledge or resolve safety alerts</source>
        <translation>确认或处理安全告警</translation>
    </message>
    <message>
        <source>change alert thresholds</source>
        <translation>修改告警阈值</translation>
    </message>
    <message>
        <source>view line losses</source>
        <translation>查看线损</translation>
    </message>
</context>
<context>
    <name>PoolDialog</name>
    <message>
        <source>New shared cost</source>
        <translation>新建公摊</translation>
    </message>
    <message>
        <source>e.g. Building A common lighting</source>
        <translation>例如：A区公共照明</translation>
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
        <source>A whole building</source>
        <translation>整栋楼</translation>
    </message>
    <message>
        <source>Chosen stalls</source>
        <translation>选定的档位</translation>
    </message>
    <message>
        <source>yuan per kWh / m³; empty: the master meter&apos;s tariff</source>
        <translation>元/kWh 或 元/m³；留空：用总表的费率</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Additional pool: may overlap the periods of other pools of these stalls</source>
        <translation>追加公摊：可与这些档位的其他公摊期间重叠</translation>
    </message>
    <message>
        <source>Why this cost is billed besides the others, e.g. the lift</source>
        <translation>为什么另外收取这笔费用，如：电梯电费</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Electricity or water</source>
        <translation>电或水</translation>
    </message>
    <message>
        <source>Who shares</source>
        <translation>分摊对象</translation>
    </message>
    <message>
        <source>Pool from</source>
        <translation>公摊来源</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>分摊方式</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>An amount typed in at each run (no master meter)</source>
        <translation>每次输入金额（不用总表）</translation>
    </message>
    <message>
        <source>Master meter %1 minus the stalls&apos; meters</source>
        <translation>总表 %1 减去各档位分表</translation>
    </message>
    <message>
        <source>Coefficient per stall</source>
        <translation>各档位系数</translation>
    </message>
    <message>
        <source>Yuan per stall per period</source>
        <translation>各档位每期金额（元）</translation>
    </message>
    <message>
        <source>Type a name for the shared cost, e.g. “Building A common lighting”.</source>
        <translation>请填写公摊名称，例如“A区公共照明”。</translation>
    </message>
    <message>
        <source>No stalls share this cost: choose a building with stalls, or tick the stalls.</source>
        <translation>没有参与公摊的档位：请选择有档位的楼栋，或勾选档位。</translation>
    </message>
    <message>
        <source>An additional pool needs its reason: type why this cost is billed besides the others.</source>
        <translation>追加公摊必须写明原因：请填写为什么另外收取这笔费用。</translation>
    </message>
</context>
<context>
    <name>Portal</name>
    <message>
        <source>Tenant self-service</source>
        <translation>租户自助服务</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Code from the text message</source>
        <translation>短信验证码</translation>
    </message>
    <message>
        <source>Send me a code</source>
        <translation>获取验证码</translation>
    </message>
    <message>
        <source>A 6-digit code was sent to {phone}. It works for 5 minutes.</source>
        <translation>6位验证码已发送到 {phone}，5分钟内有效。</translation>
    </message>
    <message>
        <source>My stalls</source>
        <translation>我的档位</translation>
    </message>
    <message>
        <source>No stall is linked to this phone yet. Scan the QR code on your receipt or stall plate to bind your stall, or ask its owner to authorize your phone.</source>
        <translation>这个手机号还没有关联档位。请扫描收据或档位牌上的二维码绑定档位，或请业主授权您的手机号。</translation>
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
        <source>Bound by QR</source>
        <translation>扫码绑定</translation>
    </message>
    <message>
        <source>Authorized</source>
        <translation>已授权</translation>
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
        <source>Used, not yet settled</source>
        <translation>已抄表未结算</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>¥{amount}</translation>
    </message>
    <message>
        <source>Balance is fine</source>
        <translation>余额充足</translation>
    </message>
    <message>
        <source>Balance low: please recharge</source>
        <translation>余额不足，请及时充值</translation>
    </message>
    <message>
        <source>Balance very low: power and water will be cut soon</source>
        <translation>余额严重不足，即将停电停水</translation>
    </message>
    <message>
        <source>Meters</source>
        <translation>表计</translation>
    </message>
    <message>
        <source>Electricity meter</source>
        <translation>电表</translation>
    </message>
    <message>
        <source>Water meter</source>
        <translation>水表</translation>
    </message>
    <message>
        <source>Power on</source>
        <translation>合闸（通电）</translation>
    </message>
    <message>
        <source>Tripped (power off)</source>
        <translation>已分闸（断电）</translation>
    </message>
    <message>
        <source>Valve open</source>
        <translation>阀门开</translation>
    </message>
    <message>
        <source>Valve closed</source>
        <translation>阀门关</translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation>尚未抄表</translation>
    </message>
    <message>
        <source>Last reading {value} {unit} at {at}</source>
        <translation>最近读数 {value} {unit}（{at}）</translation>
    </message>
    <message>
        <source>Usage analysis</source>
        <translation>用能分析</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>用电</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>用水</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>近30天</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>近12个月</translation>
    </message>
    <message>
        <source>This month {this} {unit}, last month {last} {unit}</source>
        <translation>本月 {this} {unit}，上月 {last} {unit}</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation>账单</translation>
    </message>
    <message>
        <source>No bills yet</source>
        <translation>暂无账单</translation>
    </message>
    <message>
        <source>Property charge</source>
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
        <source>Settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <source>Not settled yet</source>
        <translation>未结算</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Recharges</source>
        <translation>充值记录</translation>
    </message>
    <message>
        <source>No recharges yet</source>
        <translation>暂无充值记录</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Phones you authorized for this stall</source>
        <translation>已授权查看本档位的手机号</translation>
    </message>
    <message>
        <source>Authorize</source>
        <translation>授权</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>A phone you authorize sees this stall&apos;s balance, usage, bills and receipts.</source>
        <translation>被授权的手机号可以查看本档位的余额、用量、账单和收据。</translation>
    </message>
    <message>
        <source>Bind this stall</source>
        <translation>绑定档位</translation>
    </message>
    <message>
        <source>To bind stall {stall}, a code is sent to the phone on record {hint}. Type it below.</source>
        <translation>绑定档位 {stall} 需要验证码，验证码将发送到登记的手机号 {hint}，请在下面输入。</translation>
    </message>
    <message>
        <source>Not found: {message}</source>
        <translation>未找到：{message}</translation>
    </message>
    <message>
        <source>The page had expired. Please try again.</source>
        <translation>页面已过期，请重试。</translation>
    </message>
    <message>
        <source>Recharge</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>Recharge stall {stall}</source>
        <translation>档位 {stall} 充值</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>充值金额（元）</translation>
    </message>
    <message>
        <source>Pay with</source>
        <translation>选择支付方式</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <source>WeChat Pay (scan a QR code)</source>
        <translation>微信扫码支付</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Alipay (scan a QR code)</source>
        <translation>支付宝扫码支付</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>This market does not take online payments yet. Please recharge at the property office.</source>
        <translation>本市场暂未开通线上充值，请到物业收费处充值。</translation>
    </message>
    <message>
        <source>Please choose one of the ways of paying below.</source>
        <translation>请从下面的支付方式中选择一种。</translation>
    </message>
    <message>
        <source>Waiting for payment</source>
        <translation>等待支付</translation>
    </message>
    <message>
        <source>Scan this QR code with {app} and pay {amount}.</source>
        <translation>请用{app}扫描二维码，支付 {amount}。</translation>
    </message>
    <message>
        <source>Pay now</source>
        <translation>立即支付</translation>
    </message>
    <message>
        <source>This page changes by itself as soon as the payment has arrived.</source>
        <translation>支付到账后本页会自动更新。</translation>
    </message>
    <message>
        <source>Order {order_no}</source>
        <translation>订单号 {order_no}</translation>
    </message>
    <message>
        <source>Paid: {amount} has been credited to stall {stall}.</source>
        <translation>支付成功：{amount} 已充入档位 {stall}。</translation>
    </message>
    <message>
        <source>Balance now</source>
        <translation>当前余额</translation>
    </message>
    <message>
        <source>See the receipt</source>
        <translation>查看收据</translation>
    </message>
    <message>
        <source>This order was not paid and has been closed. Start a new recharge to pay.</source>
        <translation>此订单未支付，已关闭。如需充值请重新下单。</translation>
    </message>
    <message>
        <source>Back to the stall</source>
        <translation>返回档位</translation>
    </message>
</context>
<context>
    <name>PricesPage</name>
    <message>
        <source>3 / 7  Prices</source>
        <translation>3 / 7  电价水价</translation>
    </message>
    <message>
        <source>One price for all electricity and one for all water. Time-of-use and tiered prices are set later in Settings → Tariffs.</source>
        <translation>所有电表一个电价，所有水表一个水价。分时电价和阶梯价格以后在 设置 → 电价水价 中设置。</translation>
    </message>
    <message>
        <source>Electricity (¥ per kWh)</source>
        <translation>电价（元/度）</translation>
    </message>
    <message>
        <source>Water (¥ per m³)</source>
        <translation>水价（元/吨）</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>水价</translation>
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
    <name>Receipt</name>
    <message>
        <source>{kind} receipt</source>
        <translation>{kind}收据</translation>
    </message>
    <message>
        <source>{kind} receipt ({mark})</source>
        <translation>{kind}收据（{mark}）</translation>
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
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Refunded by</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <source>Paid by</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款金额</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>In words</source>
        <translation>大写</translation>
    </message>
    <message>
        <source>Balance before</source>
        <translation>操作前余额</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>操作后余额</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Scan for balance and bills</source>
        <translation>扫码查询余额、账单</translation>
    </message>
    <message>
        <source>Service phone: {phone}</source>
        <translation>服务电话：{phone}</translation>
    </message>
    <message>
        <source>Reprinted {stamp} (print no. {count})</source>
        <translation>补打 {stamp}（第 {count} 次打印）</translation>
    </message>
    <message>
        <source>Please keep this receipt</source>
        <translation>请妥善保管本收据</translation>
    </message>
    <message>
        <source>{site} receipt {no}</source>
        <translation>{site} 收据 {no}</translation>
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
        <source>A reversal needs a reason, e.g. “wrong amount”. Type it, or Cancel.</source>
        <translation>冲正必须填写原因，例如“金额输错”。请填写原因，或按“取消”。</translation>
    </message>
    <message>
        <source>Reverse receipt %1: ¥%2 to stall %3?
The money is taken off the balance again and a reversal receipt is printed.

Reason (required):</source>
        <translation>确定冲正收据 %1（档位 %3，¥%2）吗？
该金额将从余额中扣回，并打印冲正收据。

原因（必填）：</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>补打</translation>
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
    <name>Reconcile</name>
    <message>
        <source>On the statement but not credited here</source>
        <translation>对账单有此笔，本系统未入账</translation>
    </message>
    <message>
        <source>Credited here but not on the statement</source>
        <translation>本系统已入账，对账单无此笔</translation>
    </message>
    <message>
        <source>Amounts differ: {ours} yuan here, {theirs} on the statement</source>
        <translation>金额不符：本系统 {ours} 元，对账单 {theirs} 元</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <source>Meter</source>
        <translation>表计</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>electricity</source>
        <translation>电</translation>
    </message>
    <message>
        <source>water</source>
        <translation>水</translation>
    </message>
    <message>
        <source>electricity tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>water tariff</source>
        <translation>水价</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
</context>
<context>
    <name>ReplaceMeterDialog</name>
    <message>
        <source>Replace meter %1</source>
        <translation>换表 %1</translation>
    </message>
    <message>
        <source>Stall %1 · %2 · address %3 on %4</source>
        <translation>档位 %1 · %2 · 通道 %4 上的表地址 %3</translation>
    </message>
    <message>
        <source>The new meter&apos;s address (may be the old one&apos;s)</source>
        <translation>新表的表地址（可以与旧表相同）</translation>
    </message>
    <message>
        <source>As the old meter: %1</source>
        <translation>与旧表相同：%1</translation>
    </message>
    <message>
        <source>As the old meter</source>
        <translation>与旧表相同</translation>
    </message>
    <message>
        <source>Old meter</source>
        <translation>旧表</translation>
    </message>
    <message>
        <source>Old meter&apos;s final reading (%1)</source>
        <translation>旧表止码（%1）</translation>
    </message>
    <message>
        <source>New meter address</source>
        <translation>新表表地址</translation>
    </message>
    <message>
        <source>New meter&apos;s first reading (%1)</source>
        <translation>新表起码（%1）</translation>
    </message>
    <message>
        <source>New model</source>
        <translation>新表型号</translation>
    </message>
    <message>
        <source>New model / profile</source>
        <translation>新表型号配置</translation>
    </message>
    <message>
        <source>New channel</source>
        <translation>新表通道</translation>
    </message>
    <message>
        <source>The old meter&apos;s usage up to its final reading is still billed by the next settlement.</source>
        <translation>旧表到止码为止的用量仍由下一次结算计费。</translation>
    </message>
</context>
<context>
    <name>ReportTab</name>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Excel …</source>
        <translation>Excel…</translation>
    </message>
    <message>
        <source>PDF …</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>Print …</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Saving …</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>(master meter)</source>
        <translation>（总表）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总计</translation>
    </message>
    <message>
        <source>All methods</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>All cashiers</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Shift report</source>
        <translation>交班报表</translation>
    </message>
    <message>
        <source>{site} shift report {span}</source>
        <translation>{site} 交班报表 {span}</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>By cashier and payment method</source>
        <translation>按收银员、支付方式</translation>
    </message>
    <message>
        <source>Totals by cashier</source>
        <translation>按收银员合计</translation>
    </message>
    <message>
        <source>Totals by payment method</source>
        <translation>按支付方式合计</translation>
    </message>
    <message>
        <source>Receipt No. {first} — {last}</source>
        <translation>收据号 {first} — {last}</translation>
    </message>
    <message>
        <source>No receipts in this shift</source>
        <translation>本班无收据</translation>
    </message>
    <message>
        <source>Cash in the drawer ¥{cash} (cash recharges less cash reversals and cash refunds)</source>
        <translation>应有现金 {cash} 元（现金充值减现金冲正、现金退款）</translation>
    </message>
    <message>
        <source>Handed over by: ______________    Taken over by: ______________    Finance: ______________</source>
        <translation>交班人签字：______________    接班人签字：______________    财务签字：______________</translation>
    </message>
    <message>
        <source>In arrears</source>
        <translation>已欠费</translation>
    </message>
    <message>
        <source>In arrears (supply cut)</source>
        <translation>已欠费（已断电）</translation>
    </message>
    <message>
        <source>Supply cut</source>
        <translation>已断电</translation>
    </message>
    <message>
        <source>Below alarm 2</source>
        <translation>低于二级报警</translation>
    </message>
    <message>
        <source>Below alarm 1</source>
        <translation>低于一级报警</translation>
    </message>
    <message>
        <source>Arrears and low balances</source>
        <translation>欠费及低余额名单</translation>
    </message>
    <message>
        <source>{count} stalls in all</source>
        <translation>共 {count} 户</translation>
    </message>
    <message>
        <source>Payment notice</source>
        <translation>缴费通知单</translation>
    </message>
    <message>
        <source>{month}/{day}/{year}</source>
        <translation>{year}年{month}月{day}日</translation>
    </message>
    <message>
        <source>As of {date}, the available balance of your stall&apos;s electricity / water account is ¥{available}: it is in arrears. So that your business is not affected, please recharge at the property office soon.</source>
        <translation>截至 {date}，贵档位电费/水费账户可用余额为 {available} 元，已欠费。为免影响正常经营，请尽快到物业管理处充值。</translation>
    </message>
    <message>
        <source>As of {date}, the available balance of your stall&apos;s electricity / water account is ¥{available}, below the alarm amount of ¥{alarm}. When the balance runs out, electricity (water) is cut automatically; please recharge at the property office in time.</source>
        <translation>截至 {date}，贵档位电费/水费账户可用余额为 {available} 元，低于报警金额 {alarm} 元。余额不足时将自动断电（断水），请及时到物业管理处充值。</translation>
    </message>
    <message>
        <source>As of {date}, the available balance of your stall&apos;s electricity / water account is ¥{available}.</source>
        <translation>截至 {date}，贵档位电费/水费账户可用余额为 {available} 元。</translation>
    </message>
    <message>
        <source>The supply is cut now; it comes back automatically after a recharge.</source>
        <translation>目前已断电（断水），充值后将自动恢复供电（供水）。</translation>
    </message>
    <message>
        <source>The supply is cut now; please ask the property office why.</source>
        <translation>目前已断电（断水），请到物业管理处询问原因。</translation>
    </message>
    <message>
        <source>{first} {second}</source>
        <translation>{first}{second}</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>账户余额</translation>
    </message>
    <message>
        <source>Available balance</source>
        <translation>可用余额</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>{amount} 元</translation>
    </message>
    <message>
        <source>{site} property office</source>
        <translation>{site} 物业管理处</translation>
    </message>
    <message>
        <source>{site} property office  Phone: {phone}</source>
        <translation>{site} 物业管理处&#x3000;电话：{phone}</translation>
    </message>
    <message>
        <source>Meter No.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Stall code</source>
        <translation>档位编号</translation>
    </message>
    <message>
        <source>Stall name</source>
        <translation>档位名称</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>表计</translation>
    </message>
    <message>
        <source>Start reading</source>
        <translation>起始读数</translation>
    </message>
    <message>
        <source>End reading</source>
        <translation>截止读数</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Price ¥</source>
        <translation>单价（元）</translation>
    </message>
    <message>
        <source>Amount ¥</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Bill {bill}</source>
        <translation>账单 {bill}</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Recharges</source>
        <translation>充值笔数</translation>
    </message>
    <message>
        <source>Recharged</source>
        <translation>充值金额</translation>
    </message>
    <message>
        <source>Reversals</source>
        <translation>冲正笔数</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>冲正金额</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>退款笔数</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>退款金额</translation>
    </message>
    <message>
        <source>Net (yuan)</source>
        <translation>净额（元）</translation>
    </message>
    <message>
        <source>Cash in the drawer</source>
        <translation>应有现金</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Alarm 1</source>
        <translation>一级报警</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <source>Meter usage</source>
        <translation>用量报表</translation>
    </message>
    <message>
        <source>Arrears and low balance</source>
        <translation>欠费及低余额</translation>
    </message>
    <message>
        <source>Shift report</source>
        <translation>交班报表</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <source>Change role</source>
        <translation>修改角色</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>SMS</name>
    <message>
        <source>Stall {stall}: the available balance is ¥{available}, below ¥{alarm}. Please recharge in time</source>
        <translation>您的摊位{stall}可用余额为{available}元，已低于{alarm}元，请及时充值。</translation>
    </message>
    <message>
        <source>Stall {stall}: the available balance is ¥{available}, below ¥{alarm}. When it runs out the supply is cut; please recharge now</source>
        <translation>您的摊位{stall}可用余额为{available}元，已低于{alarm}元，余额用完将停止供电供水，请尽快充值。</translation>
    </message>
    <message>
        <source>Stall {stall}: the supply was cut because the balance ran out (available ¥{available}). It comes back by itself after a recharge</source>
        <translation>您的摊位{stall}因余额不足已停止供电供水（可用余额{available}元），充值后自动恢复。</translation>
    </message>
    <message>
        <source>Stall {stall}: your recharge of ¥{amount} was received; the balance is ¥{balance}. Receipt no. {receipt}</source>
        <translation>您的摊位{stall}已充值{amount}元，当前余额{balance}元，收据号{receipt}。</translation>
    </message>
</context>
<context>
    <name>ServiceStoppedBanner</name>
    <message>
        <source>Readings, trips and commands wait until it runs again: start it on that PC, or ask your administrator.</source>
        <translation>抄表、断电和指令都要等它重新运行：请在那台电脑上启动它，或联系管理员。</translation>
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
    <message>
        <source>Sample stall</source>
        <translation>示例档位</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Screen lock</source>
        <translation>锁屏</translation>
    </message>
    <message>
        <source>Market</source>
        <translation>市场</translation>
    </message>
    <message>
        <source>Online payments</source>
        <translation>在线支付</translation>
    </message>
    <message>
        <source>Safety alerts</source>
        <translation>安全告警</translation>
    </message>
    <message>
        <source>SMS notices</source>
        <translation>短信通知</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Only an administrator can change these settings.</source>
        <translation>只有管理员可以修改这些设置。</translation>
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
    <name>Setup</name>
    <message>
        <source>no market yet</source>
        <translation>还没有市场</translation>
    </message>
    <message>
        <source>no administrator yet</source>
        <translation>还没有管理员</translation>
    </message>
    <message>
        <source>no prices yet</source>
        <translation>还没有设置电价水价</translation>
    </message>
    <message>
        <source>no building yet</source>
        <translation>还没有楼栋</translation>
    </message>
    <message>
        <source>no meter line yet</source>
        <translation>还没有抄表通道</translation>
    </message>
    <message>
        <source>no stalls or meters yet</source>
        <translation>还没有档位和表计</translation>
    </message>
    <message>
        <source>no control defaults yet</source>
        <translation>还没有设置通断控制默认值</translation>
    </message>
    <message>
        <source>Market</source>
        <translation>市场</translation>
    </message>
    <message>
        <source>First administrator</source>
        <translation>首个管理员</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>电价水价</translation>
    </message>
    <message>
        <source>Buildings and schedules</source>
        <translation>楼栋与结算时间</translation>
    </message>
    <message>
        <source>Meter lines</source>
        <translation>抄表通道</translation>
    </message>
    <message>
        <source>Stalls and meters</source>
        <translation>档位和表计</translation>
    </message>
    <message>
        <source>Control defaults</source>
        <translation>通断控制默认值</translation>
    </message>
</context>
<context>
    <name>SetupChecklist</name>
    <message>
        <source>Setup %1 / %2: %3</source>
        <translation>初始设置 %1 / %2：%3</translation>
    </message>
    <message>
        <source>Open →</source>
        <translation>去设置 →</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>MarketMeter — first-run setup</source>
        <translation>MarketMeter — 初始设置</translation>
    </message>
    <message>
        <source>4 / 7  Buildings and schedules</source>
        <translation>4 / 7  楼栋与结算时间</translation>
    </message>
    <message>
        <source>Each building (or area) with its reading time, settlement time and cycle. Add them one by one, or import them from Excel in the next steps.</source>
        <translation>每个楼栋（或区域）及其抄表时间、结算时间和结算周期。可逐个添加，也可以以后从 Excel 导入。</translation>
    </message>
    <message>
        <source>5 / 7  Meter lines</source>
        <translation>5 / 7  抄表通道</translation>
    </message>
    <message>
        <source>The lines to the meters: a COM port, a serial server (host:port), the 4G listener or the CTWing platform. Select a line and press Test … to read one meter now.</source>
        <translation>连接表计的线路：串口（COM 口）、串口服务器（地址:端口）、4G 监听端口或 CTWing 平台。选中一条通道，按“测试 …”可立即读一块表。</translation>
    </message>
    <message>
        <source>6 / 7  Stalls and meters</source>
        <translation>6 / 7  档位和表计</translation>
    </message>
    <message>
        <source>Import the stalls, then the meters, from Excel: download the template, fill it in, check it and import. Or skip and do it later in Import.</source>
        <translation>从 Excel 先导入档位，再导入表计：下载模板、填写、检查后导入。也可以跳过，以后在“批量导入”中操作。</translation>
    </message>
    <message>
        <source>7 / 7  Control defaults</source>
        <translation>7 / 7  通断控制默认值</translation>
    </message>
    <message>
        <source>When supply is cut for lack of money (alarm 1, alarm 2, overdraft limit) and when never (friendly periods). Save each part with its own button.</source>
        <translation>余额不足时何时断电断水（一级报警、二级报警、透支额度），何时不断（友好时段）。每部分用各自的按钮保存。</translation>
    </message>
    <message>
        <source>Skip this step</source>
        <translation>跳过此步</translation>
    </message>
    <message>
        <source>Save and continue</source>
        <translation>保存并继续</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Stop here</source>
        <translation>暂停设置</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>SharedCosts</name>
    <message>
        <source>Manual coefficient per stall</source>
        <translation>手动系数（每档位）</translation>
    </message>
    <message>
        <source>Automatic: by each stall&apos;s usage</source>
        <translation>自动：按各档位用量</translation>
    </message>
    <message>
        <source>Automatic: by area (m²)</source>
        <translation>自动：按面积（m²）</translation>
    </message>
    <message>
        <source>Fixed amount per stall</source>
        <translation>每档位固定金额</translation>
    </message>
    <message>
        <source>Generated, not reviewed</source>
        <translation>未处理（待审核）</translation>
    </message>
    <message>
        <source>Reviewed, not issued</source>
        <translation>已审核（待下发）</translation>
    </message>
    <message>
        <source>Issued (debited)</source>
        <translation>已下发（已扣款）</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>已冲正</translation>
    </message>
</context>
<context>
    <name>SharedCostsView</name>
    <message>
        <source>New shared cost …</source>
        <translation>新建公摊…</translation>
    </message>
    <message>
        <source>pool amount ¥ (no master meter)</source>
        <translation>公摊金额 ¥（无总表时）</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Generate bills</source>
        <translation>生成账单</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>Void …</source>
        <translation>作废…</translation>
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
        <source>Preview of the chosen shared cost</source>
        <translation>所选公摊的预览</translation>
    </message>
    <message>
        <source>Shared bills generated</source>
        <translation>已生成的公摊单</translation>
    </message>
    <message>
        <source>Master meter %1 %4 − stalls&apos; meters %2 %4 = pool %3 %4 × ¥%5. </source>
        <translation>总表 %1 %4 − 分表 %2 %4 = 公摊 %3 %4 × ¥%5。</translation>
    </message>
    <message>
        <source>Pool ¥%1, split over %2 stalls: ¥%3.</source>
        <translation>公摊 ¥%1，分摊到 %2 户：合计 ¥%3。</translation>
    </message>
    <message>
        <source>Generate the shared bills of “%1” for %2 to %3? Nothing is debited until they are reviewed and issued.</source>
        <translation>生成“%1”%2 至 %3 的公摊账单吗？审核并下发之前不会扣款。</translation>
    </message>
    <message>
        <source>Issue shared bill No. %1 (¥%2)? Each stall&apos;s balance is debited at once.</source>
        <translation>下发公摊单 %1（¥%2）吗？各档位余额将立即扣款。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Why? (kept with the bills, e.g. master meter read wrong)</source>
        <translation>原因？（随账单保存，例如：总表读数有误）</translation>
    </message>
    <message>
        <source>Cannot do this</source>
        <translation>无法操作</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>下发</translation>
    </message>
</context>
<context>
    <name>ShiftTab</name>
    <message>
        <source>Shift from</source>
        <translation>班次从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>All methods</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>All cashiers</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>%1 receipts, net ¥%2; cash in the drawer ¥%3</source>
        <translation>共 %1 张收据，净额 ¥%2；钱箱应有现金 ¥%3</translation>
    </message>
</context>
<context>
    <name>SmsNoticesPage</name>
    <message>
        <source>Quiet hours: no balance or supply notice</source>
        <translation>免打扰时段：不发余额和停电停水通知</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Notices to the stall&apos;s tenant (else its owner)</source>
        <translation>发给摊位租户（没有租户时发给业主）的通知</translation>
    </message>
    <message>
        <source>Each notice goes once per event. Notices due in the quiet hours wait for their end; a recharge&apos;s goes at once. Without an SMS account they stay in the outbox (python -m app sms outbox).</source>
        <translation>每件事只通知一次。免打扰时段内的通知等到时段结束再发；充值到账通知立即发送。未开通短信账户时，通知只留在发件箱（python -m app sms outbox）。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Save notices</source>
        <translation>保存通知设置</translation>
    </message>
    <message>
        <source>Only an administrator can change these settings.</source>
        <translation>只有管理员可以修改这些设置。</translation>
    </message>
</context>
<context>
    <name>StallCardWidget</name>
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
        <source>Tenant portal</source>
        <translation>租户自助</translation>
    </message>
    <message>
        <source>No stall selected</source>
        <translation>未选择档位</translation>
    </message>
    <message>
        <source>account closed</source>
        <translation>已销户</translation>
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
    <message>
        <source>%1 (bound by the stall&apos;s QR)</source>
        <translation>%1（扫档位二维码绑定）</translation>
    </message>
    <message>
        <source>%1 (authorized by %2)</source>
        <translation>%1（由 %2 授权）</translation>
    </message>
    <message>
        <source>tenant and owner on record only</source>
        <translation>仅登记的租户和业主</translation>
    </message>
    <message>
        <source>Building / floor</source>
        <translation>楼栋 / 楼层</translation>
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
        <source>Owner</source>
        <translation>业主</translation>
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
    <message>
        <source>optional, e.g. 1F or B1</source>
        <translation>选填，例如 1F 或 B1</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>楼层</translation>
    </message>
</context>
<context>
    <name>StallRecentWidget</name>
    <message>
        <source>Usage, last 30 days</source>
        <translation>近 30 天用量</translation>
    </message>
    <message>
        <source>Last recharges</source>
        <translation>最近充值</translation>
    </message>
    <message>
        <source>No recharge yet.</source>
        <translation>还没有充值记录。</translation>
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
        <source>Close account / refund …</source>
        <translation>销户退款…</translation>
    </message>
    <message>
        <source>Open account</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>Stall plate …</source>
        <translation>档位牌 …</translation>
    </message>
    <message>
        <source>Renew QR code …</source>
        <translation>更换二维码 …</translation>
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
        <source>Stalls</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Click a stall in the list first.</source>
        <translation>请先在列表中点选一个档位。</translation>
    </message>
    <message>
        <source>Open the account of stall %1 again for a new tenant? It starts at ¥ 0.00; the meters go back to prepaid control and are switched on after the first recharge. Change the tenant in Edit.</source>
        <translation>为新租户重新开户档位 %1？余额从 ¥ 0.00 开始；表恢复预付费控制，首次充值后恢复供电供水。租户请在“编辑”中更改。</translation>
    </message>
    <message>
        <source>Renew QR code</source>
        <translation>更换二维码</translation>
    </message>
    <message>
        <source>Give stall %1 a new QR code? The QR codes printed on its receipts and plate so far stop working in the tenants&apos; portal; phones that already see the stall keep it.</source>
        <translation>为档位 %1 更换二维码？之前收据和档位牌上印的二维码将不能再用于租户自助；已能查看该档位的手机号不受影响。</translation>
    </message>
    <message>
        <source>The stall&apos;s new QR code: %1</source>
        <translation>档位的新二维码：%1</translation>
    </message>
    <message>
        <source>Renewed. The QR codes hold the portal&apos;s address once it is set (python -m app sms setup --portal-url).</source>
        <translation>已更换。设置租户自助地址后（python -m app sms setup --portal-url），二维码即为该地址。</translation>
    </message>
    <message>
        <source>Delete stall</source>
        <translation>删除档位</translation>
    </message>
    <message>
        <source>Delete stall %1 (%2)? Only a stall entered by mistake, with no money and no meters, can be deleted.</source>
        <translation>确定删除档位 %1（%2）吗？只有误录入、没有资金记录也没有绑定表计的档位才能删除。</translation>
    </message>
    <message>
        <source>All stalls</source>
        <translation>全部档位</translation>
    </message>
    <message>
        <source>Low balance (below alarm 1)</source>
        <translation>余额不足（低于一级报警）</translation>
    </message>
    <message>
        <source>Balance below zero</source>
        <translation>余额为负</translation>
    </message>
    <message>
        <source>Power or water off</source>
        <translation>已断电/关阀</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>The database could not be opened:</source>
        <translation>数据库无法打开：</translation>
    </message>
    <message>
        <source>MarketMeter</source>
        <translation>MarketMeter 市场预付费管理</translation>
    </message>
    <message>
        <source>Database upgraded</source>
        <translation>数据库已升级</translation>
    </message>
    <message>
        <source>The demo database was made by an older version of MarketMeter.
Building it again: 474 electricity and 417 water meters, three months of readings …</source>
        <translation>演示数据库是由较早版本的 MarketMeter 建立的。
正在重新建立：474 块电表和 417 块水表，三个月的抄表数据…</translation>
    </message>
    <message>
        <source>Building the demo market (only the first time): 474 electricity and 417 water meters, three months of readings …</source>
        <translation>正在生成演示市场（仅第一次）：474 块电表、417 块水表，三个月的抄表数据…</translation>
    </message>
    <message>
        <source>MarketMeter demo</source>
        <translation>MarketMeter 演示</translation>
    </message>
    <message>
        <source>This database has no market yet. Start MarketMeter without --screenshot and follow its setup, or run: %1</source>
        <translation>数据库里还没有市场。请不带 --screenshot 启动 MarketMeter 并按初始设置向导操作，或运行：%1</translation>
    </message>
    <message>
        <source>This database has no active administrator. Add one with: %1</source>
        <translation>该数据库中没有可用的管理员。请运行：%1 添加</translation>
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
        <source>Meter reading could not start (the collection process ended with code %1). Give this log file to your administrator: %2</source>
        <translation>抄表服务未能启动（抄表进程退出，代码 %1）。请把这个日志文件交给管理员：%2</translation>
    </message>
    <message>
        <source>Meter reading could not start:</source>
        <translation>抄表服务未能启动：</translation>
    </message>
</context>
<context>
    <name>TablePage</name>
    <message>
        <source>Filter: type any part of what you are looking for …</source>
        <translation>筛选：输入要找内容的任意部分…</translation>
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
        <translation>单价（单一价格或第一档）</translation>
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
    <name>UsageTab</name>
    <message>
        <source>All meters</source>
        <translation>全部表计</translation>
    </message>
    <message>
        <source>Electricity meters</source>
        <translation>电表</translation>
    </message>
    <message>
        <source>Water meters</source>
        <translation>水表</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>按日</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月</translation>
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
        <source>Filter: meter, stall code or name (the files show the rows shown)</source>
        <translation>筛选：表号、档位编号或名称（导出的文件与显示的行相同）</translation>
    </message>
    <message>
        <source>Meters chosen: %1 …</source>
        <translation>已选表计：%1 块…</translation>
    </message>
    <message>
        <source>Single meters …</source>
        <translation>选择单块表…</translation>
    </message>
    <message>
        <source>%1 rows</source>
        <translation>共 %1 行</translation>
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
        <source>Reset password …</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Disable …</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>One-person office: the submitter may approve the month</source>
        <translation>一人办公室：提交月报表的人也可以审核</translation>
    </message>
    <message>
        <source>Off (the default): another person approves each month (four eyes). On: whoever submits the monthly ledger may also approve it, and the ledger then says “approved by the submitter”.</source>
        <translation>不勾选（默认）：每月须由另一人审核（双人复核）。勾选：提交月报表的人也可以审核，台账上注明“由提交人审核”。</translation>
    </message>
    <message>
        <source>Disable user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Disable %1? The user can no longer sign in; their receipts stay.</source>
        <translation>确定停用 %1 吗？停用后该用户不能再登录，其收据记录保留。</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
</context>
</TS>
