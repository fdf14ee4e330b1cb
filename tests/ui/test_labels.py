"""The client shows a stored value in the word of its one table, as receipts and reports do."""

import pytest

from app.comm import labels as cl
from app.models import labels as ml
from app.ui.labels import label, mode_label, supply_label
from app.words import CHINESE, ENGLISH

SHOWN = [
    ml.PAY_METHOD,
    ml.ENTRY_KIND,
    ml.BILL_KIND,
    ml.BILL_STATUS,
    ml.STALL_STATUS,
    ml.SETTLEMENT_CYCLE,
    ml.TARIFF_MODE,
    ml.CONTROL_MODE,
    ml.COMM_STATUS,
    ml.ANOMALY_KIND,
    ml.COMMAND_STATUS,
    ml.ROLE,
    ml.BUILT_IN_ACTOR,
    cl.METER_KIND,
    cl.CHANNEL_KIND,
    cl.ACTION,
    cl.DIRECTION,
]


@pytest.mark.parametrize("lang", [CHINESE, ENGLISH])
def test_the_client_and_the_documents_use_the_same_word_for_a_value(language, lang):
    language(lang)
    for table in SHOWN:
        for value, word in table.items():
            assert label(value) == word.say(lang), value
    for (kind, mode), word in ml.KIND_MODE.items():
        assert mode_label(kind, mode) == word.say(lang)
    for (kind, on), word in cl.SUPPLY.items():
        assert supply_label(kind, on) == word.say(lang)


def test_a_refund_reads_销户退款_at_the_counter_as_on_its_receipt(language):
    language(CHINESE)
    assert (
        label("refund") == "销户退款"
        and label("wechat") == "微信"
        and label("forced_off") == "强制断电"
    )
