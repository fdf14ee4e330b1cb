"""Words a clerk reads when a meter or a line fails (命令失败原因 / 通讯故障).

Each is a catalogue word under a stable code (app/words.py); the comm layer hands them on
as `Said` (the word with its parameters), the services store `stored_text(said)` (code +
parameters as JSON) and whoever shows a stored text puts it into words with `shown(text,
lang)`: a reworded template rewords old rows too. A stored text that is no word (a
person's reason, a row written before words were stored) is shown as it is.
"""

from __future__ import annotations

from app.comm.protocols.terms import TERMS, joined
from app.words import (  # noqa: F401 (STORED_MAX, said_from, shown, stored_text: the comm layer's names)
    QT_TRANSLATE_NOOP,
    STORED_MAX,
    Said,
    Word,
    said_from,
    shown,
    stored_text,
)

NO_ANSWER = Word(
    "comm.no_answer", QT_TRANSLATE_NOOP("Comm", "The meter does not answer. Check the line")
)
BAD_CHECKSUM = Word(
    "comm.bad_checksum",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The meter answers, but its replies fail the checksum (CRC). Check the line for "
        "interference, the earthing and the baud rate",
    ),
)
WRONG_ADDRESS = Word(
    "comm.wrong_address",
    QT_TRANSLATE_NOOP(
        "Comm",
        "Address {address} does not answer; only address {other} answered. Check the meter "
        "address setting",
    ),
)
WATER_NO_ANSWER = Word(
    "comm.water_no_answer",
    QT_TRANSLATE_NOOP("Comm", "The water meter does not answer. Check its signal"),
)
CHANNEL_DOWN = Word(
    "comm.channel_down",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The line is not connected. Check the power and network cable of the serial server / "
        "gateway",
    ),
)
PORT_OPEN_FAILED = Word(
    "comm.port_open_failed",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The serial port cannot be opened. Check the port name and that no other program uses it",
    ),
)
DEVICE_NOT_DIALLED_IN = Word(
    "comm.device_not_dialled_in",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The device has not dialled in. Check the 4G / DTU signal and its server address setting",
    ),
)
BAD_REPLY = Word(
    "comm.bad_reply",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The meter's reply is garbled. Check the line for interference and the meter address",
    ),
)
METER_REJECTED = Word(
    "comm.meter_rejected",
    QT_TRANSLATE_NOOP("Comm", "The meter refused the command (error code {code})"),
)
METER_LACKS_ITEM = Word(
    "comm.meter_lacks_item",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The meter does not have this data item ({item}). Check the meter's protocol and model "
        "settings",
    ),
)
METER_READ_REFUSED = Word(
    "comm.meter_read_refused",
    QT_TRANSLATE_NOOP("Comm", "The meter refused to read {item}: {detail}"),
)
METER_REJECTED_PROTECTED = Word(
    "comm.meter_rejected_protected",
    QT_TRANSLATE_NOOP("Comm", "The meter is forced on and refuses to trip. Restore prepaid first"),
)
METER_REJECTED_PASSWORD = Word(
    "comm.meter_rejected_password",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The meter refused the command: wrong password or too low a level (ERR={code}). Check the "
        "DL/T 645 control password, level and operator code in the channel settings",
    ),
)
METER_REJECTED_WHY = Word(
    "comm.meter_rejected_why",
    QT_TRANSLATE_NOOP("Comm", "The meter refused the command (ERR={code}): {why}"),
)
VERIFY_FAILED = Word(
    "comm.verify_failed",
    QT_TRANSLATE_NOOP(
        "Comm",
        "Command sent, but the relay reads back wrong (expected {expected}, found {actual}). "
        "Check on site",
    ),
)
VERIFY_UNREADABLE = Word(
    "comm.verify_unreadable",
    QT_TRANSLATE_NOOP(
        "Comm",
        "Command sent, but the relay state cannot be read back. Read the meter again later to "
        "confirm",
    ),
)
ACTION_NOT_SUPPORTED = Word(
    "comm.action_not_supported", QT_TRANSLATE_NOOP("Comm", "This meter cannot do this: {action}")
)
METER_UNKNOWN = Word(
    "comm.meter_unknown",
    QT_TRANSLATE_NOOP(
        "Comm", "The line has no meter at address {address}. Check the meter binding"
    ),
)
CHANNEL_UNKNOWN = Word(
    "comm.channel_unknown",
    QT_TRANSLATE_NOOP("Comm", "The comm channel cannot be found (No. {channel_id})"),
)
PLATFORM_REJECTED = Word(
    "comm.platform_rejected",
    QT_TRANSLATE_NOOP("Comm", "The China Telecom platform refused the command: {detail}"),
)
PLATFORM_UNREACHABLE = Word(
    "comm.platform_unreachable",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The China Telecom platform cannot be reached. Check the network and the platform "
        "settings: {detail}",
    ),
)
WATER_PENDING = Word(
    "comm.water_pending",
    QT_TRANSLATE_NOOP(
        "Comm",
        "Command handed to the China Telecom platform; the water meter runs it when it next comes "
        "online",
    ),
)
WATER_COMMAND_FAILED = Word(
    "comm.water_command_failed",
    QT_TRANSLATE_NOOP("Comm", "The water meter could not run the command: {detail}"),
)
WATER_COMMAND_EXPIRED = Word(
    "comm.water_command_expired",
    QT_TRANSLATE_NOOP(
        "Comm", "The water meter did not come online in time and the command expired. Send it again"
    ),
)
POLLER_STOPPED = Word(
    "comm.poller_stopped",
    QT_TRANSLATE_NOOP("Comm", "The comm service stopped; the command was not run"),
)
SENT_AGAIN = Word(
    "comm.sent_again",
    QT_TRANSLATE_NOOP(
        "Comm", "Sent before the comm service restarted and no result came back; sent again"
    ),
)
NO_CHANNEL = Word(
    "comm.no_channel",
    QT_TRANSLATE_NOOP(
        "Comm", "The meter has no comm channel. Choose one in the meter's settings and try again"
    ),
)
WATER_WAITING = Word(
    "comm.water_waiting",
    QT_TRANSLATE_NOOP(
        "Comm", "Handed to the IoT platform; the water meter runs it when it wakes up"
    ),
)
CHANNEL_RECONFIGURED = Word(
    "comm.channel_reconfigured",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The comm channel was changed or disabled before the command finished. Read the meter to "
        "check, then send it again",
    ),
)
CHANNEL_NOT_STARTED = Word(
    "comm.channel_not_started",
    QT_TRANSLATE_NOOP("Comm", "The comm channel could not start. Check its settings: {detail}"),
)
INTERNAL_ERROR = Word(
    "comm.internal_error",
    QT_TRANSLATE_NOOP("Comm", "Internal error: the command did not finish. See the log"),
)
LINK_NOT_REGISTERED = Word(
    "comm.link_not_registered",
    QT_TRANSLATE_NOOP(
        "Comm", "{link}: the connection closed or timed out before registering: {detail}"
    ),
)
UNKNOWN_REGISTRATION = Word(
    "comm.unknown_registration",
    QT_TRANSLATE_NOOP("Comm", "{link}: registration packet not recognised {packet}"),
)
UNKNOWN_4G_METER = Word(
    "comm.unknown_4g_meter",
    QT_TRANSLATE_NOOP("Comm", "4G meter {serial}, which is not set up, dialled in"),
)
UNKNOWN_DTU = Word(
    "comm.unknown_dtu", QT_TRANSLATE_NOOP("Comm", "DTU {dtu}, which is not set up, dialled in")
)
PUSH_BAD_TOKEN = Word(
    "comm.push_bad_token",
    QT_TRANSLATE_NOOP(
        "Comm",
        "Refused a CTWing push from {source}: the token in the push address is wrong or missing "
        "(a forged push, or an old subscription address). Enter the push address shown in the "
        "channel settings in the CTWing subscription",
    ),
)
PUSH_NO_TOKEN = Word(
    "comm.push_no_token",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The channel has no push token yet, so the push from {source} was refused. Open the "
        "channel in Settings, save it once, then enter the push address shown there in the CTWing "
        "subscription",
    ),
)
SOURCE_REFUSED = Word(
    "comm.source_refused",
    QT_TRANSLATE_NOOP(
        "Comm",
        "Refused a connection from {source}: it is not in the source networks the channel allows. "
        "If it is this market's device or platform, add its network in the channel settings",
    ),
)
PUSH_UNKNOWN_DEVICE = Word(
    "comm.push_unknown_device",
    QT_TRANSLATE_NOOP(
        "Comm",
        "A push for device {device}, which is not a water meter of this channel, was dropped. If "
        "the meter is new, bind it in Meters first",
    ),
)
DEVICE_DID_NOT_DIAL_IN = Word(
    "comm.device_did_not_dial_in",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The device did not dial in within {seconds} s of the comm service starting. Check the 4G "
        "/ DTU signal and its server address setting",
    ),
)
IDENTITY_MISMATCH = Word(
    "comm.identity_mismatch",
    QT_TRANSLATE_NOOP(
        "Comm",
        "{link} registered as 4G meter {serial}, but its SIM {offered} is not the registered "
        "{bound}: refused (possibly a device posing as the meter). If the SIM was changed, an "
        "administrator accepts the new identity in Meters",
    ),
)
TAKEOVER_REFUSED = Word(
    "comm.takeover_refused",
    QT_TRANSLATE_NOOP(
        "Comm",
        "4G meter {serial} is online ({current}); {link} registered with the same serial and was "
        "refused: a live connection is not handed over (possibly a device posing as the meter)",
    ),
)
IDENTITY_FLAPPING = Word(
    "comm.identity_flapping",
    QT_TRANSLATE_NOOP(
        "Comm",
        "4G meter {serial}: identity conflict, {count} attempts to take over its connection "
        "within {minutes} minutes. An administrator checks it, then accepts the new identity or "
        "clears it in Meters",
    ),
)
PUSH_TIME_AHEAD = Word(
    "comm.push_time_ahead",
    QT_TRANSLATE_NOOP(
        "Comm",
        "Water meter {device} reported a time {minutes} minutes ahead of this PC's clock; the "
        "reading is stored with the time it was received. Check the platform's or the meter's "
        "clock",
    ),
)


# the same failures with what the line or the meter said, which is technical detail
BAD_REPLY_DETAIL = Word(
    "comm.bad_reply_detail",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The meter's reply is garbled. Check the line for interference and the meter address: "
        "{detail}",
    ),
)
CHANNEL_DOWN_DETAIL = Word(
    "comm.channel_down_detail",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The line is not connected. Check the power and network cable of the serial server / "
        "gateway: {detail}",
    ),
)
BAD_CHECKSUM_DETAIL = Word(
    "comm.bad_checksum_detail",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The meter answers, but its replies fail the checksum (CRC). Check the line for "
        "interference, the earthing and the baud rate ({detail})",
    ),
)
METER_REJECTED_PROTECTED_CODE = Word(
    "comm.meter_rejected_protected_code",
    QT_TRANSLATE_NOOP(
        "Comm", "The meter is forced on and refuses to trip. Restore prepaid first (ERR={code})"
    ),
)
METER_REJECTED_MODBUS = Word(
    "comm.meter_rejected_modbus",
    QT_TRANSLATE_NOOP("Comm", "The meter refused the command (error code {code}): {why}"),
)
VERIFY_FAILED_DETAIL = Word(
    "comm.verify_failed_detail",
    QT_TRANSLATE_NOOP(
        "Comm",
        "Command sent, but the relay reads back wrong (expected {expected}, found {actual}). "
        "Check on site; {detail}",
    ),
)
RELAY_IS_NOT = Word(
    "comm.relay_is_not", QT_TRANSLATE_NOOP("Comm", "relay is {actual}, expected {expected}")
)
NO_RELAY_STATE = Word(
    "comm.no_relay_state",
    QT_TRANSLATE_NOOP("Comm", "the meter does not report its relay state (status word 3)"),
)
FORCED_MODE_IS_NOT = Word(
    "comm.forced_mode_is_not",
    QT_TRANSLATE_NOOP("Comm", "forced mode is {actual}, expected {expected}"),
)
DATA_ITEM = Word("comm.data_item", QT_TRANSLATE_NOOP("Comm", "{di} {name}"))
CLOSE_NEEDS_BUTTON = Word(
    "comm.close_needs_button",
    QT_TRANSLATE_NOOP(
        "Comm", "1B close allowed: some meters close only after the user presses the button"
    ),
)
COMMANDS_NOT_READ = Word(
    "comm.commands_not_read",
    QT_TRANSLATE_NOOP("Comm", "Reading the commands to run failed: {detail}"),
)
RESULTS_NOT_SAVED = Word(
    "comm.results_not_saved", QT_TRANSLATE_NOOP("Comm", "Saving the comm results failed: {detail}")
)
PUSH_NOT_UNDERSTOOD = Word(
    "comm.push_not_understood",
    QT_TRANSLATE_NOOP("Comm", "A China Telecom platform push could not be read: {detail}"),
)
WATER_ALARM = Word(
    "comm.water_alarm", QT_TRANSLATE_NOOP("Comm", "Water meter alarm ({severity}): {content}")
)
UPLOAD_WITHOUT_CRC = Word(
    "comm.upload_without_crc",
    QT_TRANSLATE_NOOP(
        "Comm",
        "The meter's reply is garbled. Check the line for interference and the meter address: the "
        "Modbus reply of a data upload has no CRC, which the meter's profile requires ([acrel4g] "
        "upload_crc_optional)",
    ),
)
DTU_ONLINE = Word("comm.dtu_online", QT_TRANSLATE_NOOP("Comm", "DTU {dtu} online"))
DTU_OFFLINE = Word("comm.dtu_offline", QT_TRANSLATE_NOOP("Comm", "DTU {dtu} disconnected"))
METERS_ONLINE = Word(
    "comm.meters_online", QT_TRANSLATE_NOOP("Comm", "{online}/{total} 4G meters online")
)
PUSH_ADDRESS = Word("comm.push_address", QT_TRANSLATE_NOOP("Comm", "Push address {url}"))
LINK_DOWN = Word("comm.link_down", QT_TRANSLATE_NOOP("Comm", "{link}: {why}"))
SUCCEEDED = Word("comm.succeeded", QT_TRANSLATE_NOOP("Comm", "Succeeded"))
FAILED = Word("comm.failed", QT_TRANSLATE_NOOP("Comm", "Failed"))
# what the control service says of a command: sent again later, or withdrawn before it was sent
RETRY = Word(
    "comm.retry",
    QT_TRANSLATE_NOOP(
        "Comm",
        "{reason} (attempt {attempts} failed; tried again automatically in about {minutes} min)",
    ),
)
NOT_PREPAID_CANCEL = Word(
    "comm.not_prepaid_cancel",
    QT_TRANSLATE_NOOP(
        "Comm", "The meter is no longer under prepaid control; the trip is withdrawn"
    ),
)
BALANCE_RESTORED_CANCEL = Word(
    "comm.balance_restored_cancel",
    QT_TRANSLATE_NOOP(
        "Comm", "The available balance is back at {available} yuan; the trip is withdrawn"
    ),
)
FRIENDLY_PERIOD_WAIT = Word(
    "comm.friendly_period_wait",
    QT_TRANSLATE_NOOP("Comm", "No power cut in the friendly period; the trip waits"),
)

# the relay / valve state a meter reports, and the commands' actions
CLOSED = Word("comm.state_closed", QT_TRANSLATE_NOOP("Comm", "power on"))
TRIPPED = Word("comm.state_tripped", QT_TRANSLATE_NOOP("Comm", "tripped"))
VALVE_OPEN = Word("comm.state_valve_open", QT_TRANSLATE_NOOP("Comm", "valve open"))
VALVE_CLOSED = Word("comm.state_valve_closed", QT_TRANSLATE_NOOP("Comm", "valve closed"))
UNKNOWN = Word("comm.state_unknown", QT_TRANSLATE_NOOP("Comm", "unknown"))
RELAY_WORDS = {True: CLOSED, False: TRIPPED, None: UNKNOWN}
VALVE_WORDS = {True: VALVE_OPEN, False: VALVE_CLOSED, None: UNKNOWN}
ACTION_WORDS = {
    "trip": Word("comm.action_trip", QT_TRANSLATE_NOOP("Comm", "trip")),
    "close": Word("comm.action_close", QT_TRANSLATE_NOOP("Comm", "close")),
    "forced_on": Word("comm.action_forced_on", QT_TRANSLATE_NOOP("Comm", "forced on")),
    "forced_off": Word("comm.action_forced_off", QT_TRANSLATE_NOOP("Comm", "forced off")),
    "restore_prepaid": Word(
        "comm.action_restore_prepaid", QT_TRANSLATE_NOOP("Comm", "restore prepaid")
    ),
    "valve_open": Word("comm.action_valve_open", QT_TRANSLATE_NOOP("Comm", "open valve")),
    "valve_close": Word("comm.action_valve_close", QT_TRANSLATE_NOOP("Comm", "close valve")),
    "read_now": Word("comm.action_read_now", QT_TRANSLATE_NOOP("Comm", "read now")),
}
# what a command wanted the relay / valve to be, as VERIFY_FAILED says it
EXPECTED_WORDS = {
    "trip": TRIPPED,
    "close": CLOSED,
    "valve_open": VALVE_OPEN,
    "valve_close": VALVE_CLOSED,
}


def why_refused(explanation: str) -> Said | Word | str:
    """The ERR bits of a DL/T 645 refusal ("a; b", the codec's English) as words."""
    return joined(TERMS.get(part, part) for part in explanation.split("; "))


Reason = Word | Said  # what the comm layer hands on: a word, or a word with its parameters


def detail_of(exc: BaseException) -> Said | Word | str:
    """What an exception says: the word it was raised with, else its text (technical)."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, (Said, Word)) else str(exc)
