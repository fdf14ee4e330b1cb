"""The portal's words: English sources marked for the catalogue (resources/i18n/*.ts), said in
the tenant's language by the templates (`{{ say(T.SIGN_IN) }}`)."""

from __future__ import annotations

from app.words import QT_TRANSLATE_NOOP, Word

TITLE = Word("portal.page.title", QT_TRANSLATE_NOOP("Portal", "Tenant self-service"))
SIGN_IN = Word("portal.page.sign_in", QT_TRANSLATE_NOOP("Portal", "Sign in"))
SIGN_OUT = Word("portal.page.sign_out", QT_TRANSLATE_NOOP("Portal", "Sign out"))
PHONE = Word("portal.page.phone", QT_TRANSLATE_NOOP("Portal", "Mobile number"))
CODE = Word("portal.page.code", QT_TRANSLATE_NOOP("Portal", "Code from the text message"))
SEND_CODE = Word("portal.page.send_code", QT_TRANSLATE_NOOP("Portal", "Send me a code"))
CODE_SENT = Word(
    "portal.page.code_sent",
    QT_TRANSLATE_NOOP("Portal", "A 6-digit code was sent to {phone}. It works for 5 minutes."),
)
MY_STALLS = Word("portal.page.my_stalls", QT_TRANSLATE_NOOP("Portal", "My stalls"))
NO_STALLS = Word(
    "portal.page.no_stalls",
    QT_TRANSLATE_NOOP(
        "Portal",
        "No stall is linked to this phone yet. Scan the QR code on your receipt or stall plate "
        "to bind your stall, or ask its owner to authorize your phone.",
    ),
)
HOW = {
    "tenant": Word("portal.page.how.tenant", QT_TRANSLATE_NOOP("Portal", "Tenant")),
    "owner": Word("portal.page.how.owner", QT_TRANSLATE_NOOP("Portal", "Owner")),
    "bound": Word("portal.page.how.bound", QT_TRANSLATE_NOOP("Portal", "Bound by QR")),
    "authorized": Word("portal.page.how.authorized", QT_TRANSLATE_NOOP("Portal", "Authorized")),
}
BALANCE = Word("portal.page.balance", QT_TRANSLATE_NOOP("Portal", "Balance"))
AVAILABLE = Word("portal.page.available", QT_TRANSLATE_NOOP("Portal", "Available balance"))
UNSETTLED = Word("portal.page.unsettled", QT_TRANSLATE_NOOP("Portal", "Used, not yet settled"))
YUAN = Word("portal.page.yuan", QT_TRANSLATE_NOOP("Portal", "¥{amount}"))
ALARM = {
    0: Word("portal.page.alarm0", QT_TRANSLATE_NOOP("Portal", "Balance is fine")),
    1: Word("portal.page.alarm1", QT_TRANSLATE_NOOP("Portal", "Balance low: please recharge")),
    2: Word(
        "portal.page.alarm2",
        QT_TRANSLATE_NOOP("Portal", "Balance very low: power and water will be cut soon"),
    ),
}
METERS = Word("portal.page.meters", QT_TRANSLATE_NOOP("Portal", "Meters"))
METER_KIND = {
    "electric": Word("portal.page.electric", QT_TRANSLATE_NOOP("Portal", "Electricity meter")),
    "water": Word("portal.page.water", QT_TRANSLATE_NOOP("Portal", "Water meter")),
}
METER_STATE = {
    ("electric", "closed"): Word("portal.page.state.on", QT_TRANSLATE_NOOP("Portal", "Power on")),
    ("electric", "tripped"): Word(
        "portal.page.state.tripped", QT_TRANSLATE_NOOP("Portal", "Tripped (power off)")
    ),
    ("water", "open"): Word("portal.page.state.open", QT_TRANSLATE_NOOP("Portal", "Valve open")),
    ("water", "closed"): Word(
        "portal.page.state.closed", QT_TRANSLATE_NOOP("Portal", "Valve closed")
    ),
}
STATE_UNKNOWN = Word("portal.page.state.unknown", QT_TRANSLATE_NOOP("Portal", "Not read yet"))
LAST_READING = Word(
    "portal.page.last_reading", QT_TRANSLATE_NOOP("Portal", "Last reading {value} {unit} at {at}")
)
USAGE = Word("portal.page.usage", QT_TRANSLATE_NOOP("Portal", "Usage analysis"))
ELECTRICITY = Word("portal.page.electricity", QT_TRANSLATE_NOOP("Portal", "Electricity"))
WATER = Word("portal.page.water_use", QT_TRANSLATE_NOOP("Portal", "Water"))
LAST_30_DAYS = Word("portal.page.last_30_days", QT_TRANSLATE_NOOP("Portal", "Last 30 days"))
LAST_12_MONTHS = Word("portal.page.last_12_months", QT_TRANSLATE_NOOP("Portal", "Last 12 months"))
THIS_VS_LAST = Word(
    "portal.page.this_vs_last",
    QT_TRANSLATE_NOOP("Portal", "This month {this} {unit}, last month {last} {unit}"),
)
BILLS = Word("portal.page.bills", QT_TRANSLATE_NOOP("Portal", "Bills"))
NO_BILLS = Word("portal.page.no_bills", QT_TRANSLATE_NOOP("Portal", "No bills yet"))
BILL_KIND = {
    "electric": Word("portal.page.bill.electric", QT_TRANSLATE_NOOP("Portal", "Electricity")),
    "water": Word("portal.page.bill.water", QT_TRANSLATE_NOOP("Portal", "Water")),
    "property": Word("portal.page.bill.property", QT_TRANSLATE_NOOP("Portal", "Property charge")),
    "shared_electric": Word(
        "portal.page.bill.shared_electric", QT_TRANSLATE_NOOP("Portal", "Shared electricity")
    ),
    "shared_water": Word(
        "portal.page.bill.shared_water", QT_TRANSLATE_NOOP("Portal", "Shared water")
    ),
}
BILL_STATUS = {
    "issued": Word("portal.page.bill.issued", QT_TRANSLATE_NOOP("Portal", "Settled")),
}
BILL_OPEN = Word("portal.page.bill.open", QT_TRANSLATE_NOOP("Portal", "Not settled yet"))
PERIOD = Word("portal.page.period", QT_TRANSLATE_NOOP("Portal", "{start} to {end}"))
QUANTITY = Word("portal.page.quantity", QT_TRANSLATE_NOOP("Portal", "Quantity"))
PRICE = Word("portal.page.price", QT_TRANSLATE_NOOP("Portal", "Price"))
AMOUNT = Word("portal.page.amount", QT_TRANSLATE_NOOP("Portal", "Amount"))
RECHARGES = Word("portal.page.recharges", QT_TRANSLATE_NOOP("Portal", "Recharges"))
NO_RECHARGES = Word("portal.page.no_recharges", QT_TRANSLATE_NOOP("Portal", "No recharges yet"))
BACK = Word("portal.page.back", QT_TRANSLATE_NOOP("Portal", "Back"))
PEOPLE = Word(
    "portal.page.people", QT_TRANSLATE_NOOP("Portal", "Phones you authorized for this stall")
)
AUTHORIZE = Word("portal.page.authorize", QT_TRANSLATE_NOOP("Portal", "Authorize"))
REMOVE = Word("portal.page.remove", QT_TRANSLATE_NOOP("Portal", "Remove"))
AUTHORIZE_HINT = Word(
    "portal.page.authorize_hint",
    QT_TRANSLATE_NOOP(
        "Portal", "A phone you authorize sees this stall's balance, usage, bills and receipts."
    ),
)
BIND = Word("portal.page.bind", QT_TRANSLATE_NOOP("Portal", "Bind this stall"))
BIND_HINT = Word(
    "portal.page.bind_hint",
    QT_TRANSLATE_NOOP(
        "Portal",
        "To bind stall {stall}, a code is sent to the phone on record {hint}. Type it below.",
    ),
)
NOT_FOUND = Word("portal.page.not_found", QT_TRANSLATE_NOOP("Portal", "Not found: {message}"))
FORM_EXPIRED = Word(
    "portal.page.form_expired",
    QT_TRANSLATE_NOOP("Portal", "The page had expired. Please try again."),
)

# ---------------------------------------------------------------- online recharge
RECHARGE = Word("portal.pay.recharge", QT_TRANSLATE_NOOP("Portal", "Recharge"))
RECHARGE_TITLE = Word("portal.pay.title", QT_TRANSLATE_NOOP("Portal", "Recharge stall {stall}"))
AMOUNT_YUAN = Word("portal.pay.amount", QT_TRANSLATE_NOOP("Portal", "Amount (yuan)"))
PAY_WITH = Word("portal.pay.pay_with", QT_TRANSLATE_NOOP("Portal", "Pay with"))
# the ways of paying a page offers, by "<provider>:<method>"
WAY = {
    "wechat:jsapi": Word("portal.pay.way.wechat_jsapi", QT_TRANSLATE_NOOP("Portal", "WeChat Pay")),
    "wechat:h5": Word("portal.pay.way.wechat_h5", QT_TRANSLATE_NOOP("Portal", "WeChat Pay")),
    "wechat:native": Word(
        "portal.pay.way.wechat_native", QT_TRANSLATE_NOOP("Portal", "WeChat Pay (scan a QR code)")
    ),
    "alipay:wap": Word("portal.pay.way.alipay_wap", QT_TRANSLATE_NOOP("Portal", "Alipay")),
    "alipay:precreate": Word(
        "portal.pay.way.alipay_precreate", QT_TRANSLATE_NOOP("Portal", "Alipay (scan a QR code)")
    ),
}
APP_NAME = {
    "wechat": Word("portal.pay.app.wechat", QT_TRANSLATE_NOOP("Portal", "WeChat")),
    "alipay": Word("portal.pay.app.alipay", QT_TRANSLATE_NOOP("Portal", "Alipay")),
}
NO_ONLINE_PAYMENT = Word(
    "portal.pay.not_offered",
    QT_TRANSLATE_NOOP(
        "Portal",
        "This market does not take online payments yet. Please recharge at the property office.",
    ),
)
WAY_NOT_OFFERED = Word(
    "portal.pay.way_not_offered",
    QT_TRANSLATE_NOOP("Portal", "Please choose one of the ways of paying below."),
)
WAITING = Word("portal.pay.waiting", QT_TRANSLATE_NOOP("Portal", "Waiting for payment"))
SCAN_TO_PAY = Word(
    "portal.pay.scan",
    QT_TRANSLATE_NOOP("Portal", "Scan this QR code with {app} and pay {amount}."),
)
PAY_NOW = Word("portal.pay.pay_now", QT_TRANSLATE_NOOP("Portal", "Pay now"))
TURNS_BY_ITSELF = Word(
    "portal.pay.turns",
    QT_TRANSLATE_NOOP("Portal", "This page changes by itself as soon as the payment has arrived."),
)
ORDER_NO = Word("portal.pay.order_no", QT_TRANSLATE_NOOP("Portal", "Order {order_no}"))
CREDITED = Word(
    "portal.pay.credited",
    QT_TRANSLATE_NOOP("Portal", "Paid: {amount} has been credited to stall {stall}."),
)
BALANCE_NOW = Word("portal.pay.balance_now", QT_TRANSLATE_NOOP("Portal", "Balance now"))
SEE_RECEIPT = Word("portal.pay.see_receipt", QT_TRANSLATE_NOOP("Portal", "See the receipt"))
ORDER_CLOSED = Word(
    "portal.pay.closed",
    QT_TRANSLATE_NOOP(
        "Portal",
        "This order was not paid and has been closed. Start a new recharge to pay.",
    ),
)
BACK_TO_STALL = Word("portal.pay.back", QT_TRANSLATE_NOOP("Portal", "Back to the stall"))
