"""微信支付 API v3 for a direct merchant (直连商户): orders, notifications, query, trade bill.

Sources (pay.weixin.qq.com/docs/merchant): "签名生成" (request signature over
METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n, SHA256withRSA, header WECHATPAY2-SHA256-RSA2048),
"签名验证" (answers and notifications over TIMESTAMP\\nNONCE\\nBODY\\n with the platform public
key or certificate), "证书和回调报文解密" (AEAD_AES_256_GCM with the APIv3 key, the 16-byte tag at
the end of the ciphertext),
"JSAPI调起支付" (paySign over appId\\ntimeStamp\\nnonceStr\\npackage\\n),
"支付通知", "商户订单号查询订单", "申请交易账单" / "下载账单".
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import requests
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.comm.payments import PaymentFacts, PayStart, ProviderError, Refused, StatementRow

BASE_URL = "https://api.mch.weixin.qq.com"
SCHEMA = "WECHATPAY2-SHA256-RSA2048"
REPLAY_WINDOW_S = 300  # a notification stamped more than 5 minutes from our clock is refused
METHODS = ("jsapi", "h5", "native")
# trade bill (交易账单, bill_type=ALL) columns, by position: the header row is Chinese text
# of the format, not ours to translate
_BILL_TXN_ID, _BILL_ORDER_NO, _BILL_STATE, _BILL_ORDER_AMOUNT = 5, 6, 9, 24


@dataclass(frozen=True, slots=True)
class WechatConfig:
    mchid: str
    appid: str
    merchant_serial: str  # the merchant API certificate's serial number
    merchant_key_pem: str  # apiclient_key.pem
    apiv3_key: str  # 32 characters
    platform_key_pem: str  # 微信支付公钥 (or the platform certificate's public key)
    platform_serial: str  # PUB_KEY_ID_… or the platform certificate's serial
    notify_url: str
    base_url: str = BASE_URL


def sign(key_pem: str, message: str) -> str:
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    return base64.b64encode(
        key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()


def is_signed_by(public_pem: str, message: bytes, signature: str) -> bool:
    key = serialization.load_pem_public_key(public_pem.encode())
    try:
        key.verify(base64.b64decode(signature), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def public_key_of(pem: str) -> str:
    """The public key of a PEM public key or X.509 certificate (the platform certificate)."""
    if "CERTIFICATE" in pem:
        from cryptography import x509

        key = x509.load_pem_x509_certificate(pem.encode()).public_key()
    else:
        key = serialization.load_pem_public_key(pem.encode())
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def decrypt_resource(apiv3_key: str, resource: dict) -> bytes:
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise Refused("wechat.algorithm")
    try:
        return AESGCM(apiv3_key.encode()).decrypt(
            resource["nonce"].encode(),
            base64.b64decode(resource["ciphertext"]),
            (resource.get("associated_data") or "").encode() or None,
        )
    except (InvalidTag, KeyError, ValueError) as exc:
        raise Refused("wechat.decrypt") from exc


def encrypt_resource(apiv3_key: str, plaintext: bytes, associated_data: str = "") -> dict:
    """The platform's side of decrypt_resource (used by the test double and the bench)."""
    nonce = secrets.token_hex(6)
    ciphertext = AESGCM(apiv3_key.encode()).encrypt(
        nonce.encode(), plaintext, associated_data.encode() or None
    )
    return {
        "original_type": "transaction",
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(ciphertext).decode(),
        "associated_data": associated_data,
        "nonce": nonce,
    }


def fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _facts(tx: dict) -> PaymentFacts:
    paid_at = tx.get("success_time")
    return PaymentFacts(
        order_no=str(tx.get("out_trade_no", "")),
        is_paid=tx.get("trade_state") == "SUCCESS",
        amount=Decimal(int((tx.get("amount") or {}).get("total", 0))).scaleb(-2),
        merchant_id=str(tx.get("mchid", "")),
        app_id=str(tx.get("appid", "")),
        provider_txn_id=str(tx.get("transaction_id", "")),
        state=str(tx.get("trade_state", "")),
        paid_at=datetime.fromisoformat(paid_at) if paid_at else None,
    )


class WechatPay:
    def __init__(self, config: WechatConfig, *, timeout_s: float = 10.0):
        self.config = config
        self.timeout_s = timeout_s
        self.http = requests.Session()

    # ------------------------------------------------------------ requests we send

    def authorization(self, method: str, path: str, body: str) -> str:
        nonce, stamp = secrets.token_hex(16), str(int(time.time()))
        signature = sign(
            self.config.merchant_key_pem, f"{method}\n{path}\n{stamp}\n{nonce}\n{body}\n"
        )
        return (
            f'{SCHEMA} mchid="{self.config.mchid}",nonce_str="{nonce}",signature="{signature}",'
            f'timestamp="{stamp}",serial_no="{self.config.merchant_serial}"'
        )

    def _call(self, method: str, path: str, payload: dict | None = None, *, signed_answer=True):
        body = json.dumps(payload, ensure_ascii=False) if payload is not None else ""
        headers = {
            "Authorization": self.authorization(method, path, body),
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        try:
            answer = self.http.request(
                method,
                self.config.base_url + path,
                data=body.encode() if body else None,
                headers=headers,
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise ProviderError(type(exc).__name__) from exc
        if signed_answer and not self._is_platform_signed(answer.headers, answer.content):
            # a 2xx without the platform's signature is treated as forged
            raise Refused("wechat.answer_signature")
        if answer.status_code >= 300:
            try:
                error = answer.json()
            except ValueError:
                error = {}
            raise ProviderError(
                f"HTTP {answer.status_code} {error.get('code', '')} {error.get('message', '')}"
            )
        return answer

    def _is_platform_signed(self, headers, body: bytes) -> bool:
        stamp, nonce = headers.get("Wechatpay-Timestamp"), headers.get("Wechatpay-Nonce")
        signature = headers.get("Wechatpay-Signature")
        if not (stamp and nonce and signature):
            return False
        if headers.get("Wechatpay-Serial") != self.config.platform_serial:
            return False
        message = stamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
        return is_signed_by(public_key_of(self.config.platform_key_pem), message, signature)

    def create_order(
        self,
        order_no: str,
        amount: Decimal,
        description: str,
        method: str,
        *,
        openid: str = "",
        client_ip: str = "",
    ) -> PayStart:
        """统一下单 (JSAPI / H5 / Native); returns what the tenant's page needs to pay."""
        payload = {
            "appid": self.config.appid,
            "mchid": self.config.mchid,
            "description": description[:127],
            "out_trade_no": order_no,
            "notify_url": self.config.notify_url,
            "amount": {"total": fen(amount), "currency": "CNY"},
        }
        if method == "jsapi":
            payload["payer"] = {"openid": openid}
        elif method == "h5":
            payload["scene_info"] = {"payer_client_ip": client_ip, "h5_info": {"type": "Wap"}}
        answer = self._call("POST", f"/v3/pay/transactions/{method}", payload).json()
        if method == "jsapi":
            prepay_id = answer["prepay_id"]
            return PayStart(
                order_no, method, jsapi=self.jsapi_parameters(prepay_id), prepay_id=prepay_id
            )
        if method == "h5":
            return PayStart(order_no, method, url=answer["h5_url"])
        return PayStart(order_no, method, code_url=answer["code_url"])

    def jsapi_parameters(self, prepay_id: str) -> dict:
        """WeixinJSBridge.invoke('getBrandWCPayRequest', …)'s parameters."""
        stamp, nonce, package = (
            str(int(time.time())),
            secrets.token_hex(16),
            f"prepay_id={prepay_id}",
        )
        pay_sign = sign(
            self.config.merchant_key_pem, f"{self.config.appid}\n{stamp}\n{nonce}\n{package}\n"
        )
        return {
            "appId": self.config.appid,
            "timeStamp": stamp,
            "nonceStr": nonce,
            "package": package,
            "signType": "RSA",
            "paySign": pay_sign,
        }

    def query(self, order_no: str) -> PaymentFacts:
        path = f"/v3/pay/transactions/out-trade-no/{order_no}?mchid={self.config.mchid}"
        try:
            return _facts(self._call("GET", path).json())
        except ProviderError as exc:
            if "ORDER_NOT_EXIST" not in exc.detail:
                raise
            # never placed or never paid: nothing to credit
            return PaymentFacts(
                order_no,
                False,
                Decimal("0"),
                self.config.mchid,
                self.config.appid,
                state="ORDER_NOT_EXIST",
            )

    def statement(self, day: date) -> list[StatementRow]:
        """The day's trade bill: its successful payments (refund rows are left out)."""
        info = self._call("GET", f"/v3/bill/tradebill?bill_date={day.isoformat()}&bill_type=ALL")
        info = info.json()
        url = info["download_url"]
        path = url[len(self.config.base_url) :] if url.startswith(self.config.base_url) else url
        # the file's answer is not signed (下载账单): its SHA1 from the signed answer is checked
        content = self._call("GET", path, signed_answer=False).content
        if hashlib.sha1(content).hexdigest().lower() != str(info.get("hash_value", "")).lower():
            raise Refused("wechat.bill_hash")
        return parse_trade_bill(content.decode("utf-8-sig"))

    # ------------------------------------------------------------ what the platform sends

    def verify_notification(
        self, headers, body: bytes, *, now_s: float | None = None
    ) -> PaymentFacts:
        """A 支付通知: the platform's signature over the raw body, the time, then the resource
        decrypted. Raises Refused."""
        stamp = headers.get("Wechatpay-Timestamp") or ""
        if not stamp.isdigit() or abs((now_s or time.time()) - int(stamp)) > REPLAY_WINDOW_S:
            raise Refused("wechat.timestamp")
        if not self._is_platform_signed(headers, body):
            raise Refused("signature")
        try:
            note = json.loads(body)
        except ValueError as exc:
            raise Refused("wechat.body") from exc
        if note.get("event_type") != "TRANSACTION.SUCCESS":
            raise Refused("wechat.event_type")
        tx = json.loads(decrypt_resource(self.config.apiv3_key, note.get("resource") or {}))
        return _facts(tx)


def parse_trade_bill(text: str) -> list[StatementRow]:
    """交易账单 (CSV, every value prefixed with a backquote): the rows between the header
    and the totals whose state is SUCCESS."""
    rows = list(csv.reader(io.StringIO(text)))
    out = []
    for row in rows[1:]:
        values = [v.strip().lstrip("`") for v in row]
        if len(values) <= _BILL_ORDER_AMOUNT:
            break  # the totals' header: the order rows have ended
        if values[_BILL_STATE] != "SUCCESS":
            continue
        out.append(
            StatementRow(
                order_no=values[_BILL_ORDER_NO],
                provider_txn_id=values[_BILL_TXN_ID],
                amount=Decimal(values[_BILL_ORDER_AMOUNT]),
            )
        )
    return out
