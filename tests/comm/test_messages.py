"""Comm messages are stored in Chinese; a client in English reads them in English."""

from app.comm import messages


def test_every_comm_message_has_its_english_words():
    fixed = {name: value for name, value in vars(messages).items() if name.isupper() and isinstance(value, str)}
    assert set(fixed.values()) == set(messages.ENGLISH)


def test_a_stored_message_reads_in_english_with_its_details():
    assert messages.english(messages.NO_ANSWER) == "The meter does not answer. Check the line"
    assert messages.english("RS485-01: " + messages.CHANNEL_DOWN).startswith("RS485-01: The line is not connected")
    assert messages.english(messages.VERIFY_FAILED.format(expected="分闸", actual="合闸")) == (
        "Command sent, but the relay reads back wrong (expected tripped, found power on). Check on site")
    assert messages.english(messages.METER_REJECTED.format(code=4)) == "The meter refused the command (error code 4)"
    assert messages.english(messages.ACTION_NOT_SUPPORTED.format(action="分闸")) == "This meter cannot do this: trip"
    assert messages.english(messages.PLATFORM_REJECTED.format(detail="HTTP 403")) == (
        "The China Telecom platform refused the command: HTTP 403")


def test_a_message_it_does_not_know_stays_as_written():
    assert messages.english("表计无应答（已重试 3 次）") == "表计无应答（已重试 3 次）"
