"""Comm messages are catalogue words, stored as code + parameters; a client in English reads
them in English, old rows too, however a template is worded later."""

from app import words
from app.comm import messages
from app.words import Said, Word


def test_every_comm_message_is_a_word_with_its_chinese_in_the_catalogue():
    fixed = [
        value
        for name, value in vars(messages).items()
        if name.isupper() and isinstance(value, Word)
    ]
    assert len(fixed) > 40
    for word in fixed:
        assert word.code.startswith("comm.")
        assert word.text in words._translations(), word.code  # its Chinese is in the catalogue


def test_a_stored_message_reads_in_english_with_its_details():
    def english(said):
        return messages.shown(messages.stored_text(said), "en")

    assert english(messages.NO_ANSWER) == "The meter does not answer. Check the line"
    assert english(messages.CHANNEL_DOWN_DETAIL(detail="RS485-01")).startswith(
        "The line is not connected"
    )
    assert english(messages.VERIFY_FAILED(expected=messages.TRIPPED, actual=messages.CLOSED)) == (
        "Command sent, but the relay reads back wrong (expected tripped, found power on). Check "
        "on site"
    )
    assert (
        english(messages.METER_REJECTED(code=4)) == "The meter refused the command (error code 4)"
    )
    assert (
        english(messages.ACTION_NOT_SUPPORTED(action=messages.ACTION_WORDS["trip"]))
        == "This meter cannot do this: trip"
    )
    assert english(messages.PLATFORM_REJECTED(detail="HTTP 403")) == (
        "The China Telecom platform refused the command: HTTP 403"
    )


def test_a_message_it_does_not_know_stays_as_written():
    assert messages.shown("表计无应答（已重试 3 次）", "en") == "表计无应答（已重试 3 次）"
    assert (
        messages.shown('{"code": "no.such.word", "params": {}}', "en")
        == '{"code": "no.such.word", "params": {}}'
    )


def test_a_reworded_template_rewords_the_rows_stored_before(monkeypatch):
    stored = messages.stored_text(messages.WRONG_ADDRESS(address="7", other="8"))
    assert (
        "7" in stored and "8" in stored and "无应答" not in stored
    )  # the code and its parameters, no sentence
    monkeypatch.setitem(
        words._translations(),
        messages.WRONG_ADDRESS.text,
        "表地址 {address} 不应答（应答的是 {other}）",
    )
    assert messages.shown(stored, "zh_CN") == "表地址 7 不应答（应答的是 8）"
    assert (
        messages.shown(stored, "en")
        == "Address 7 does not answer; only address 8 answered. Check the meter address setting"
    )


def test_a_long_detail_is_shortened_and_the_word_kept_whole():
    stored = messages.stored_text(
        messages.VERIFY_FAILED_DETAIL(
            expected=messages.TRIPPED,
            actual=messages.CLOSED,
            detail=messages.joined(["x" * 3000, messages.CLOSE_NEEDS_BUTTON]),
        )
    )
    assert len(stored) <= messages.STORED_MAX
    said = messages.said_from(stored)
    assert isinstance(said, Said) and said.word is messages.VERIFY_FAILED_DETAIL
    assert said.say("en").endswith(
        "…; 1B close allowed: some meters close only after the user presses the button"
    )
