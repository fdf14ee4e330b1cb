"""The payment platforms' formats, with samples laid out as their documents show them: WeChat
Pay's trade bill (交易账单, every value after a backquote, the totals at the end), Alipay's bill
zip (GBK CSV, '#' comment lines, a detail and a summary file), the AES-256-GCM resource and the
signing text of Alipay's parameters."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from app.comm.payments import Refused, StatementRow
from app.comm.payments.alipay import parse_trade_bill_zip, signing_text
from app.comm.payments.wechat import decrypt_resource, encrypt_resource, parse_trade_bill

WECHAT_BILL = (
    "\ufeff交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
    "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
    "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
    "费率备注\r\n"
    "`2026-12-06 09:12:01,`wx2421b1c4370ec43b,`1900000109,`0,`,`4200001234202612061234567890,"
    "`MM20261206AAAAAAAAAAAAAAAA,`oUpF8uMuAJO,`NATIVE,`SUCCESS,`OTHERS,`CNY,`88.50,`0.00,`0,`0,"
    "`0.00,`0.00,`,`,`A001 水电充值,`,`0.53000,`0.60%,`88.50,`0.00,`\r\n"
    "`2026-12-06 10:00:00,`wx2421b1c4370ec43b,`1900000109,`0,`,`4200001234202612061234567891,"
    "`MM20261206BBBBBBBBBBBBBBBB,`oUpF8uMuAJO,`NATIVE,`REFUND,`OTHERS,`CNY,`0.00,`0.00,"
    "`50000000000000000001,`R1,`10.00,`0.00,`ORIGINAL,`SUCCESS,`A002 水电充值,`,`-0.06000,`0.60%,"
    "`0.00,`10.00,`\r\n"
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n"
    "`2,`88.50,`10.00,`0.00,`0.47000,`88.50,`10.00\r\n"
)


def test_the_wechat_trade_bill_gives_its_successful_payments_only():
    assert parse_trade_bill(WECHAT_BILL.lstrip("\ufeff")) == [
        StatementRow("MM20261206AAAAAAAAAAAAAAAA", "4200001234202612061234567890", Decimal("88.50"))
    ]


def test_the_alipay_bill_zip_gives_the_detail_files_payments_and_not_refunds():
    detail = (
        "#支付宝业务明细查询\r\n#账号：[20880000000000010156]\r\n"
        "#起始日期：[2026年12月06日 00:00:00]   终止日期：[2026年12月07日 00:00:00]\r\n"
        "#-----------------------------------------业务明细列表----------------------------------------\r\n"
        "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,"
        "对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,"
        "商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,"
        "服务费（元）,分润（元）,备注\r\n"
        "2026120622001400000000000001\t,MM20261206CCCCCCCCCCCCCCCC\t,交易,A001 水电充值,"
        "2026-12-06 11:00:00,2026-12-06 11:00:05,,,,,buyer@example.com,66.00,66.00,0.00,0.00,0.00,"
        "0.00,0.00,,0.00,0.00,,-0.40,0.00,\r\n"
        "2026120622001400000000000002\t,MM20261206DDDDDDDDDDDDDDDD\t,退款,A002 水电充值,"
        "2026-12-06 12:00:00,2026-12-06 12:00:05,,,,,buyer@example.com,-5.00,-5.00,0.00,0.00,0.00,"
        "0.00,0.00,,0.00,0.00,R1,0.03,0.00,\r\n"
        "#-----------------------------------------业务明细列表结束------------------------------------\r\n"
        "#交易合计：1笔，退款合计：1笔\r\n#导出时间：[2026年12月07日 09:00:00]\r\n"
    )
    summary = (
        "#支付宝业务汇总查询\r\n门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）\r\n"
        ",,1,1,61.00\r\n#导出时间：[2026年12月07日 09:00:00]\r\n"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("20880000000000010156_20261206_业务明细.csv".encode("gbk").decode("cp437"),
                   detail.encode("gbk"))  # fmt: skip
        z.writestr("20880000000000010156_20261206_业务明细(汇总).csv".encode("gbk").decode("cp437"),
                   summary.encode("gbk"))  # fmt: skip
    assert parse_trade_bill_zip(buf.getvalue()) == [
        StatementRow("MM20261206CCCCCCCCCCCCCCCC", "2026120622001400000000000001", Decimal("66.00"))
    ]


def test_the_wechat_resource_decrypts_with_the_apiv3_key_and_nothing_else():
    key = "0123456789abcdef0123456789abcdef"
    resource = encrypt_resource(key, b'{"out_trade_no":"MM1"}', "transaction")
    assert decrypt_resource(key, resource) == b'{"out_trade_no":"MM1"}'
    with pytest.raises(Refused) as err:
        decrypt_resource("f" * 32, resource)
    assert err.value.reason == "wechat.decrypt"
    with pytest.raises(Refused):  # the associated data is authenticated too
        decrypt_resource(key, {**resource, "associated_data": "certificate"})


def test_alipay_signs_the_sorted_parameters_without_sign_and_empty_values():
    params = {"sign": "x", "b": "2", "a": "1", "c": "", "sign_type": "RSA2"}
    assert signing_text(params) == "a=1&b=2&sign_type=RSA2"
    assert signing_text(params, leave_out=("sign", "sign_type")) == "a=1&b=2"
