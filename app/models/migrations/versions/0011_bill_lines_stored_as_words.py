"""bill lines stored as words: the description and unit the program writes on a bill's line
(a meter's usage, a tariff's rate or tier block, a shared cost, the units month / piece /
item) keep a catalogue word's code and parameters (JSON) instead of a Chinese text; so do
the audit log's reasons a settlement skipped a meter and a reversal's "ledger entry N"

The rows written before hold the Chinese of the program's templates; those one of them says
whole become the word and its parameters (the templates as they were when this revision was
written are copied here: a migration does not follow the code's later rewordings). A
description or unit no template says (a charge item's name or unit as typed, kWh, m³) stays
as it is and is shown as it is. The description grows to 1000 characters and the unit to 100
for the JSON; going back says the words as the texts they were (cut to the old widths).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 09:33:18.040411
"""

import json
import re

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# a parameter's pattern: a regular expression (with int when stored as a number), or the
# words it may be (their text -> code); a parameter not named is any text
UNITS = r"kWh|m³"
NUMBER = (r"\d+", int)
BILL_KINDS = {"公摊电费": "labels.bill_kind.shared_electric", "公摊水费": "labels.bill_kind.shared_water"}
SHARE_METHODS = {"手动系数": "labels.share_method.manual", "按用量": "labels.share_method.by_usage",
                 "按面积": "labels.share_method.by_area", "固定金额": "labels.share_method.fixed"}
# code -> the Chinese the program wrote, with its {parameters}, and their patterns
DESCRIPTIONS = {
    "settlement.meter_usage": ("表 {meter} 用量", {"meter": NUMBER}),
    "tariffs.rate_part": ("{rate}时段 {unit}", {"rate": r"尖|峰|平|谷|\d+", "unit": UNITS}),
    "tariffs.tier_part": ("第{level}阶梯 {unit}", {"level": NUMBER, "unit": UNITS}),
    "tariffs.usage_part": ("用量 {unit}", {"unit": UNITS}),
    "shared_costs.bill_line": ("{kind}（{pool}，{method}）", {"kind": BILL_KINDS, "method": SHARE_METHODS}),
}
UNIT_WORDS = {
    "property.month_unit": ("月", {}),
    "property.piece_unit": ("个", {}),
    "shared_costs.one_item": ("项", {}),
}
# in the audit log's details: why a settlement skipped a meter, the entry a reversal undid
SKIPPED_WHY = {"settlement.held_reading": ("有待处理的异常读数", {})}
ENTRY_NO = {"accounts.ledger_entry_no": ("账目 {entry_id}", {"entry_id": NUMBER})}
TEMPLATES = {**DESCRIPTIONS, **UNIT_WORDS, **SKIPPED_WHY, **ENTRY_NO}
# the words only said inside others, for the way back (downgrade)
SAID_INSIDE = {code: text for words in (BILL_KINDS, SHARE_METHODS) for text, code in words.items()}
# (column, the words its rows may say, its width before this revision)
COLUMNS = (("description", tuple(DESCRIPTIONS), 100), ("unit", tuple(UNIT_WORDS), 10))
BATCH = 5000


def _pattern(template: str, params: dict) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
            continue
        spec = params.get(part, ".*?")
        if isinstance(spec, tuple):
            spec = spec[0]
        alternatives = "|".join(map(re.escape, spec)) if isinstance(spec, dict) else spec
        out.append(f"(?P<{part}>{alternatives})")
    return re.compile("".join(out), re.S)


PATTERNS = {code: _pattern(*TEMPLATES[code]) for code in TEMPLATES}


def _param(spec, value: str):
    if isinstance(spec, dict):
        return {"said": {"code": spec[value], "params": {}}}
    if isinstance(spec, tuple):
        return spec[1](value)
    return value


def _stored(text: str, codes) -> str:
    for code in codes:
        found = PATTERNS[code].fullmatch(text) if text else None
        if found:
            params = TEMPLATES[code][1]
            word = {"code": code, "params": {k: _param(params.get(k), v) for k, v in found.groupdict().items()}}
            return json.dumps(word, ensure_ascii=False, separators=(",", ":"))
    return text


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
        return text  # a typed text that only looks like JSON, or a word of a later version


def _convert(change) -> None:
    """change(text, codes, width) -> the new text, for every bill line, in batches (a
    market's bills hold many lines)."""
    conn = op.get_bind()
    t = sa.table("bill_line", sa.column("id", sa.Integer), sa.column("description", sa.String),
                 sa.column("unit", sa.String))
    after = 0
    while True:
        rows = conn.execute(sa.select(t.c.id, t.c.description, t.c.unit).where(t.c.id > after)
                            .order_by(t.c.id).limit(BATCH)).all()
        if not rows:
            break
        after = rows[-1][0]
        changed = []
        for row_id, *texts in rows:
            new = [change(text or "", codes, width) for text, (_, codes, width) in zip(texts, COLUMNS, strict=True)]
            if new != [text or "" for text in texts]:
                changed.append({"_id": row_id, "_description": new[0], "_unit": new[1]})
        if changed:
            conn.execute(sa.update(t).where(t.c.id == sa.bindparam("_id"))
                         .values(description=sa.bindparam("_description"), unit=sa.bindparam("_unit")),
                         changed)


def _convert_audit(change) -> None:
    """change(text, codes, width) -> the new text, for the words in the details of the
    settlements' and reversals' audit rows."""
    conn = op.get_bind()
    events = sa.table("audit_event", sa.column("id", sa.Integer), sa.column("action", sa.String),
                      sa.column("detail", sa.JSON))
    wanted = events.c.action.in_(("settlement.run", "settlement.final", "reversal"))
    after = 0
    while True:
        rows = conn.execute(sa.select(events.c.id, events.c.detail).where(events.c.id > after, wanted)
                            .order_by(events.c.id).limit(BATCH)).all()
        if not rows:
            break
        after = rows[-1][0]
        for row_id, detail in rows:
            if not isinstance(detail, dict):
                continue
            new = dict(detail)
            if isinstance(detail.get("skipped"), list):
                new["skipped"] = [
                    [s[0], change(s[1], tuple(SKIPPED_WHY), None)]
                    if isinstance(s, list) and len(s) == 2 and isinstance(s[1], str) else s
                    for s in detail["skipped"]
                ]
            if isinstance(detail.get("original_receipt_no"), str):
                new["original_receipt_no"] = change(detail["original_receipt_no"], tuple(ENTRY_NO), None)
            if new != detail:
                conn.execute(sa.update(events).where(events.c.id == row_id).values(detail=new))


def upgrade() -> None:
    with op.batch_alter_table('bill_line', schema=None) as batch_op:
        batch_op.alter_column('description',
               existing_type=sa.VARCHAR(length=100),
               type_=sa.String(length=1000),
               existing_nullable=False)
        batch_op.alter_column('unit',
               existing_type=sa.VARCHAR(length=10),
               type_=sa.String(length=100),
               existing_nullable=False)
    _convert(lambda text, codes, width: _stored(text, codes))
    _convert_audit(lambda text, codes, width: _stored(text, codes))


def downgrade() -> None:
    _convert(lambda text, codes, width: _sentence(text)[:width])
    _convert_audit(lambda text, codes, width: _sentence(text))
    with op.batch_alter_table('bill_line', schema=None) as batch_op:
        batch_op.alter_column('unit',
               existing_type=sa.String(length=100),
               type_=sa.VARCHAR(length=10),
               existing_nullable=False)
        batch_op.alter_column('description',
               existing_type=sa.String(length=1000),
               type_=sa.VARCHAR(length=100),
               existing_nullable=False)
