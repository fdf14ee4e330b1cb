"""支付宝 开放平台 (OpenAPI, gateway.do): wap pay, precreate (QR), async notification, trade
query and the trade bill.

Sources (opendocs.alipay.com): "自行实现签名" (all parameters but `sign`, sorted by name, joined
k=v&k=v with raw values, SHA256withRSA = RSA2), "异步通知验签" (also without `sign_type`, values
URL-decoded), "alipay.trade.wap.pay", "alipay.trade.precreate", "alipay.trade.query" (answer
signed over the raw text of its `…_response` object), "alipay.data.dataservice.bill.
downloadurl.query" (a zip of GBK CSV files; '#' lines are comments).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests

from app.comm.payments import PaymentFacts, PayStart, ProviderError, Refused, StatementRow
from app.comm.payments.wechat import is_signed_by, public_key_of, sign

GATEWAY = "https://openapi.alipay.com/gateway.do"
METHODS = ("wap", "precreate")
PAID_STATES = ("TRADE_SUCCESS", "TRADE_FINISHED")
BEIJING = ZoneInfo("Asia/Shanghai")  # Alipay's times are Beijing time


@dataclass(frozen=True, slots=True)
class AlipayConfig:
    app_id: str
    seller_id: str  # the merchant's PID (2088…)
    app_key_pem: str  # the app's private key (应用私钥)
    alipay_key_pem: str  # Alipay's public key (支付宝公钥)
    notify_url: str
    return_url: str = ""
    gateway: str = GATEWAY


def signing_text(params: dict, *, leave_out=("sign",)) -> str:
    return "&".join(
        f"{k}={params[k]}" for k in sorted(params) if k not in leave_out and params[k] != ""
    )


def _facts(data: dict, app_id: str, seller_id: str) -> PaymentFacts:
    try:
        amount = Decimal(str(data.get("total_amount", "0")))
    except InvalidOperation:
        amount = Decimal("-1")
    paid = data.get("gmt_payment") or data.get("send_pay_date")
    return PaymentFacts(
        order_no=str(data.get("out_trade_no", "")),
        is_paid=data.get("trade_status") in PAID_STATES,
        amount=amount,
        merchant_id=seller_id,
        app_id=app_id,
        provider_txn_id=str(data.get("trade_no", "")),
        state=str(data.get("trade_status", "")),
        paid_at=datetime.fromisoformat(paid).replace(tzinfo=BEIJING) if paid else None,
    )


class Alipay:
    def __init__(self, config: AlipayConfig, *, timeout_s: float = 10.0):
        self.config = config
        self.timeout_s = timeout_s
        self.http = requests.Session()

    def signed_params(self, method: str, biz: dict, **extra) -> dict:
        params = {
            "app_id": self.config.app_id,
            "method": method,
            "format": "JSON",
            "charset": "utf-8",
            "sign_type": "RSA2",
            "timestamp": datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
            "version": "1.0",
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
            **extra,
        }
        params["sign"] = sign(self.config.app_key_pem, signing_text(params))
        return params

    def _call(self, method: str, biz: dict, **extra) -> dict:
        try:
            answer = self.http.post(
                self.config.gateway,
                data=self.signed_params(method, biz, **extra),
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise ProviderError(type(exc).__name__) from exc
        return self._checked(answer, method)

    def create_order(self, order_no: str, amount: Decimal, subject: str, method: str) -> PayStart:
        biz = {"out_trade_no": order_no, "total_amount": f"{amount:.2f}", "subject": subject[:256]}
        if method == "wap":
            biz["product_code"] = "QUICK_WAP_WAY"
            extra = {"notify_url": self.config.notify_url}
            if self.config.return_url:
                extra["return_url"] = self.config.return_url
            params = self.signed_params("alipay.trade.wap.pay", biz, **extra)
            return PayStart(order_no, method, url=f"{self.config.gateway}?{urlencode(params)}")
        data = self._call("alipay.trade.precreate", biz, notify_url=self.config.notify_url)
        return PayStart(order_no, method, code_url=data["qr_code"])

    def _checked(self, answer, method: str) -> dict:
        text = answer.content.decode("utf-8")
        key = method.replace(".", "_") + "_response"
        start = text.find(f'"{key}"')
        if answer.status_code != 200 or start < 0:
            raise ProviderError(f"HTTP {answer.status_code}")
        start = text.index(":", start) + 1
        while text[start] in " \t\r\n":
            start += 1
        data, end = json.JSONDecoder().raw_decode(text, start)
        signature = json.loads(text).get("sign", "")
        raw = text[start:end].encode()
        if not signature or not is_signed_by(
            public_key_of(self.config.alipay_key_pem), raw, signature
        ):
            raise Refused("alipay.answer_signature")
        if data.get("code") != "10000":
            raise ProviderError(
                f"{data.get('code')} {data.get('sub_code', '')} {data.get('msg', '')}"
            )
        return data

    def query(self, order_no: str) -> PaymentFacts:
        try:
            data = self._call("alipay.trade.query", {"out_trade_no": order_no})
        except ProviderError as exc:
            if "ACQ.TRADE_NOT_EXIST" in exc.detail:
                # not paid yet (the tenant never scanned or left the page)
                return PaymentFacts(
                    order_no,
                    False,
                    Decimal("0"),
                    self.config.seller_id,
                    self.config.app_id,
                    state="TRADE_NOT_EXIST",
                )
            raise
        return _facts(data, self.config.app_id, self.config.seller_id)

    def statement(self, day: date) -> list[StatementRow]:
        data = self._call(
            "alipay.data.dataservice.bill.downloadurl.query",
            {"bill_type": "trade", "bill_date": day.isoformat()},
        )
        try:
            answer = self.http.get(data["bill_download_url"], timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise ProviderError(type(exc).__name__) from exc
        if answer.status_code != 200:
            raise ProviderError(f"HTTP {answer.status_code}")
        return parse_trade_bill_zip(answer.content)

    def verify_notification(self, form: dict[str, str]) -> PaymentFacts:
        """An async notification (异步通知): Alipay's RSA2 signature over every parameter but
        `sign` and `sign_type`. Raises Refused."""
        signature = form.get("sign", "")
        text = signing_text(form, leave_out=("sign", "sign_type"))
        if not signature or not is_signed_by(
            public_key_of(self.config.alipay_key_pem), text.encode(), signature
        ):
            raise Refused("signature")
        return PaymentFacts(
            order_no=form.get("out_trade_no", ""),
            is_paid=form.get("trade_status") in PAID_STATES,
            amount=_facts(form, "", "").amount,
            merchant_id=form.get("seller_id", ""),
            app_id=form.get("app_id", ""),
            provider_txn_id=form.get("trade_no", ""),
            state=form.get("trade_status", ""),
            paid_at=_facts(form, "", "").paid_at,
        )


def parse_trade_bill_zip(content: bytes) -> list[StatementRow]:
    """The trade bill's detail file (业务明细, GBK CSV, '#' comment lines): columns 0 支付宝交易号,
    1 商户订单号, 11 订单金额（元）. Refund rows (negative amounts) and the summary file are left
    out."""
    out = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("gbk")
            lines = [line for line in text.splitlines() if line and not line.startswith("#")]
            for row in list(csv.reader(lines))[1:]:
                values = [v.strip() for v in row]
                if len(values) < 12 or not values[0].isdigit() or not values[1]:
                    continue
                try:
                    amount = Decimal(values[11])
                except InvalidOperation:
                    continue
                if amount > 0:
                    out.append(StatementRow(values[1], values[0], amount))
    return out
