"""program texts stored as words: the reasons the program writes with ledger entries and
meter commands (and their audit rows), the results of the commands it withdraws, a voided
bill's note, a month's flags and the notes the program adds to its review trail keep a catalogue word's code and parameters (JSON) instead of
a Chinese sentence

The rows written before hold the sentences of the program's templates; those that one of them
says whole become the word and its parameters (the templates as they were when this revision
was written are copied here: a migration does not follow the code's later rewordings). A row
no template says (a reason or note a person typed, a text of an older version) stays as it is
and is shown as it is. The columns grow to 1000 characters for the JSON; going back says the
words as the sentences they were (cut to the old widths).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 08:13:05.075914
"""

import json
import re

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

MONEY = r"-?\d+\.\d{2}"
# a parameter's pattern: a regular expression, or the words it may be (their text -> code)
KINDS = {"电费": "settlement.kind.electric", "水费": "settlement.kind.water"}
USES = {"用电": "monthly_ledger.electricity_use", "用水": "monthly_ledger.water_use"}
METERS = {"电表": "monthly_ledger.electric_meter", "水表": "monthly_ledger.water_meter"}
# code -> the Chinese sentence the program wrote, with its {parameters}, and their patterns
# (a parameter not named is any text)
TEMPLATES = {
    # ledger_entry.reason
    "settlement.bill_reason": ("{kind} {stamp}", {"kind": KINDS, "stamp": r"\d{4}-\d\d-\d\dT\d\d:\d\d"}),
    "property.issue_reason": ("下发账单 {note}", {}),
    "property.void_reason": ("作废账单：{reason}", {}),
    "shared_costs.debit_reason": ("公摊：{note}", {}),
    "accounts.share_debited_at_closing": ("销户扣公摊：{note}", {}),
    "build.demo_recharge": ("演示充值", {}),
    "build.demo_low_balance": ("演示：余额只够用一小时左右，演示开始后几分钟内可看到跳闸", {}),
    # meter_command.result
    "meters.meter_out_of_use": ("表计已停用", {}),
    "readings.meter_replaced": ("已换表", {}),
    "control.balance_changed": ("余额变化，指令已撤销", {}),
    "control.superseded_by_person": ("已被人工控制指令取代", {}),
    "control.mode_changed": ("控制方式已改变", {}),
    "build.demo_done": ("演示：执行成功", {}),
    # meter_command.reason and the reason of the commands' audit rows
    "control.below_overdraft": ("可用余额 {available} 元低于透支额度 −{limit} 元", {"available": MONEY, "limit": MONEY}),
    "control.balance_restored": ("可用余额 {available} 元已恢复", {"available": MONEY}),
    "accounts.closed_because": ("销户：{reason}", {}),
    "accounts.reopened_for": ("开户：档位 {stall}", {}),
    # bill.note
    "property.voided_note": ("作废：{reason}", {}),
    # monthly_row.flags, joined by monthly_ledger.separator
    "monthly_ledger.jumped": ("{what}突增{change}%", {"what": USES, "change": r"[+-]?\d+"}),
    "monthly_ledger.dropped": ("{what}骤降{change}%", {"what": USES, "change": r"[+-]?\d+"}),
    "monthly_ledger.from_zero": ("{what}上月为 0，本月 {now}", {"what": USES, "now": r"\d+(?:\.\d+)?"}),
    "monthly_ledger.offline": ("{kind}{address}离线{days}天", {"kind": METERS, "days": r"\d+"}),
    # monthly_review.comment: what a rebuild changed (see REVIEW)
    "monthly_ledger.closing_changed": ("{stall} 期末 {old}→{new}", {"old": MONEY, "new": MONEY}),
}
SEPARATOR = "monthly_ledger.separator"
APPROVED = "monthly_ledger.approved_by_submitter"
CHANGED = re.compile(r"较上次生成有变动：(?P<shown>.+?)(?: 等 (?P<count>\d+) 户)?；期末合计 (?P<delta>[+-]\d+\.\d{2}) 元", re.S)
# the words only said inside others, for the way back (downgrade)
SAID_INSIDE = {
    SEPARATOR: "{first}；{next}",
    APPROVED: "由提交人审核",
    "monthly_ledger.changed_since": "较上次生成有变动：{shown}{more}；期末合计 {delta} 元",
    "monthly_ledger.more_stalls": " 等 {count} 户",
    **{code: text for words in (KINDS, USES, METERS) for text, code in words.items()},
}
LEDGER = ("settlement.bill_reason", "property.issue_reason", "property.void_reason",
          "shared_costs.debit_reason", "accounts.share_debited_at_closing", "build.demo_recharge",
          "build.demo_low_balance")
RESULTS = ("meters.meter_out_of_use", "readings.meter_replaced", "control.balance_changed",
           "control.superseded_by_person", "control.mode_changed", "build.demo_done")
REASONS = ("control.below_overdraft", "control.balance_restored", "accounts.closed_because",
           "accounts.reopened_for")
FLAGS = ("monthly_ledger.jumped", "monthly_ledger.dropped", "monthly_ledger.from_zero",
         "monthly_ledger.offline")
REVIEW = ("monthly_ledger.changed_since", APPROVED)  # said whole or with a person's comment
# (table, column, the words its rows may say, its width before this revision)
COLUMNS = (("ledger_entry", "reason", LEDGER, 200), ("meter_command", "result", RESULTS, 1000),
           ("meter_command", "reason", REASONS, 200), ("bill", "note", ("property.voided_note",), 200),
           ("monthly_row", "flags", FLAGS, 300), ("monthly_review", "comment", REVIEW, None))
AUDITED = ("control.%", "meter.%")  # the commands' audit rows: their detail's reason
BATCH = 5000


def _pattern(template: str, params: dict) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
            continue
        spec = params.get(part, ".*?")
        alternatives = "|".join(map(re.escape, spec)) if isinstance(spec, dict) else spec
        out.append(f"(?P<{part}>{alternatives})")
    return re.compile("".join(out), re.S)


PATTERNS = {code: _pattern(*TEMPLATES[code]) for code in TEMPLATES}


def _word(text: str, codes) -> dict | None:
    for code in codes:
        found = PATTERNS[code].fullmatch(text)
        if found:
            params = TEMPLATES[code][1]
            return {"code": code, "params": {k: _param(params.get(k), v) for k, v in found.groupdict().items()}}
    return None


def _param(spec, value: str):
    if isinstance(spec, dict):
        return {"said": {"code": spec[value], "params": {}}}
    return value


def _joined(text: str, codes) -> dict | None:
    """Words said one after the other, separated by "；" (monthly_ledger._joined)."""
    said = None
    for part in text.split("；"):
        word = _word(part, codes)
        if word is None:
            return None
        said = word if said is None else {"code": SEPARATOR, "params": {"first": {"said": said}, "next": {"said": word}}}
    return said


def _review(text: str) -> dict | None:
    """A rebuild's corrections, or the note that the submitter approved (with the comment)."""
    approved = {"code": APPROVED, "params": {}}
    if text == "由提交人审核":
        return approved
    if text.startswith("由提交人审核；"):
        return {"code": SEPARATOR, "params": {"first": {"said": approved}, "next": text[len("由提交人审核；"):]}}
    found = CHANGED.fullmatch(text)
    closings = found and _joined(found["shown"], ("monthly_ledger.closing_changed",))
    if not closings:
        return None
    more = {"said": {"code": "monthly_ledger.more_stalls", "params": {"count": found["count"]}}} if found["count"] else ""
    return {"code": "monthly_ledger.changed_since",
            "params": {"shown": {"said": closings}, "more": more, "delta": found["delta"]}}


def _stored(text: str, codes) -> str:
    parse = {FLAGS: _joined, REVIEW: lambda text, codes: _review(text)}.get(codes, _word)
    word = parse(text, codes) if text else None
    return json.dumps(word, ensure_ascii=False, separators=(",", ":")) if word else text


def _said(data: dict) -> str | None:
    code = data.get("code")
    template = TEMPLATES[code][0] if code in TEMPLATES else SAID_INSIDE.get(code)
    if template is None:
        return None
    params = {}
    for k, v in (data.get("params") or {}).items():
        params[k] = _said(v["said"]) if isinstance(v, dict) and "said" in v else v
        if params[k] is None:
            return None
    return template.format(**params)


def _sentence(text: str) -> str:
    if not text.startswith("{"):
        return text
    try:
        data = json.loads(text)
        return (_said(data) if isinstance(data, dict) else None) or text
    except (ValueError, KeyError, IndexError, AttributeError):
        return text  # a person's text that only looks like JSON, or a word of a later version


def _convert(change) -> None:
    """change(text, codes, width) -> the new text, for every row of COLUMNS and the reasons of
    the commands' audit rows, in batches (a ledger holds many rows)."""
    conn = op.get_bind()
    for table, column, codes, width in COLUMNS:
        t = sa.table(table, sa.column("id", sa.Integer), sa.column(column, sa.String))
        after = 0
        while True:
            rows = conn.execute(sa.select(t.c.id, t.c[column]).where(t.c.id > after, t.c[column] != "")
                                .order_by(t.c.id).limit(BATCH)).all()
            if not rows:
                break
            after = rows[-1][0]
            changed = [{"_id": i, "_new": new} for i, text in rows if (new := change(text, codes, width)) != text]
            if changed:
                conn.execute(sa.update(t).where(t.c.id == sa.bindparam("_id"))
                             .values({column: sa.bindparam("_new")}), changed)
    events = sa.table("audit_event", sa.column("id", sa.Integer), sa.column("action", sa.String),
                      sa.column("detail", sa.JSON))
    audited = sa.or_(*(events.c.action.like(a) for a in AUDITED))
    after = 0
    while True:
        rows = conn.execute(sa.select(events.c.id, events.c.detail).where(events.c.id > after, audited)
                            .order_by(events.c.id).limit(BATCH)).all()
        if not rows:
            break
        after = rows[-1][0]
        for row_id, detail in rows:
            reason = (detail or {}).get("reason")
            if isinstance(reason, str) and reason:
                new = change(reason, REASONS + RESULTS, None)
                if new != reason:
                    conn.execute(sa.update(events).where(events.c.id == row_id)
                                 .values(detail={**detail, "reason": new}))


def upgrade() -> None:
    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.alter_column('note',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.String(length=1000),
               existing_nullable=False)

    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.alter_column('reason',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.String(length=1000),
               existing_nullable=False)

    with op.batch_alter_table('meter_command', schema=None) as batch_op:
        batch_op.alter_column('reason',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.String(length=1000),
               existing_nullable=False)

    with op.batch_alter_table('monthly_row', schema=None) as batch_op:
        batch_op.alter_column('flags',
               existing_type=sa.VARCHAR(length=300),
               type_=sa.String(length=1000),
               existing_nullable=False)
    _convert(lambda text, codes, width: _stored(text, codes))


def downgrade() -> None:
    _convert(lambda text, codes, width: _sentence(text)[:width] if width else _sentence(text))
    with op.batch_alter_table('monthly_row', schema=None) as batch_op:
        batch_op.alter_column('flags',
               existing_type=sa.String(length=1000),
               type_=sa.VARCHAR(length=300),
               existing_nullable=False)

    with op.batch_alter_table('meter_command', schema=None) as batch_op:
        batch_op.alter_column('reason',
               existing_type=sa.String(length=1000),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)

    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.alter_column('reason',
               existing_type=sa.String(length=1000),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)

    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.alter_column('note',
               existing_type=sa.String(length=1000),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)
