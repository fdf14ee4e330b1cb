"""The codecs' vocabulary as catalogue words: function names, data items, error bits, relay
codes, the 4G commands (the terms of 报文含义).

The codecs write these names in English (as PROTOCOLS.md does); a frame's meaning says them in
the reader's language with `term(name, lang)`. A few are the standard's own Chinese names that
an engineer looks up in the meter's manual: in English they are said with that name beside
them, "trip (跳闸)", taken from the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.words import CHINESE, ENGLISH, QT_TRANSLATE_NOOP, Said, Word


def term(english: str, lang: str = ENGLISH) -> str:
    """One word of a codec's vocabulary in `lang`; a name that is no word as it is."""
    known = TERMS.get(english)
    if known is None:
        return english
    return glossed(known, lang) if known in GLOSSED else known.say(lang)


def glossed(word: Word, lang: str = ENGLISH) -> str:
    """A standard's term: in English with its Chinese name beside it, "trip (跳闸)"."""
    if lang != ENGLISH:
        return word.say(lang)
    return f"{word.say(ENGLISH)} ({word.say(CHINESE)})"


# no data in a frame ("data none")
NO_DATA = Word("comm.frame.no_data", QT_TRANSLATE_NOOP("CommFrames", "none"))
ON = Word("comm.term.on", QT_TRANSLATE_NOOP("CommTerms", "on"))
OFF = Word("comm.term.off", QT_TRANSLATE_NOOP("CommTerms", "off"))


# two texts said one after the other (a list of problems: first; rest)
JOINED = Word("comm.joined", QT_TRANSLATE_NOOP("Comm", "{first}; {rest}"))


def joined(parts: Iterable[Said | Word | str]) -> Said | Word | str:
    """Several texts said as one, separated as the language separates a list."""
    parts = list(parts)
    if not parts:
        return ""
    said = parts[-1]
    for part in reversed(parts[:-1]):
        said = JOINED(first=part, rest=said)
    return said


def on_off(value: bool, lang: str = ENGLISH) -> str:
    return (ON if value else OFF).say(lang)


# the codecs' English names (as the codecs and PROTOCOLS.md write them) and their words
TERMS: dict[str, Word] = {
    w.text[1]: w
    for w in (
        Word(
            "comm.term.security_authentication",
            QT_TRANSLATE_NOOP("CommTerms", "security authentication"),
        ),
        Word("comm.term.broadcast_time", QT_TRANSLATE_NOOP("CommTerms", "broadcast time")),
        Word("comm.term.read_data", QT_TRANSLATE_NOOP("CommTerms", "read data")),
        Word(
            "comm.term.read_follow_up_data", QT_TRANSLATE_NOOP("CommTerms", "read follow-up data")
        ),
        Word("comm.term.reread_data", QT_TRANSLATE_NOOP("CommTerms", "reread data")),
        Word("comm.term.read_address", QT_TRANSLATE_NOOP("CommTerms", "read address")),
        Word("comm.term.write_data", QT_TRANSLATE_NOOP("CommTerms", "write data")),
        Word("comm.term.write_address", QT_TRANSLATE_NOOP("CommTerms", "write address")),
        Word("comm.term.freeze", QT_TRANSLATE_NOOP("CommTerms", "freeze")),
        Word("comm.term.change_baud_rate", QT_TRANSLATE_NOOP("CommTerms", "change baud rate")),
        Word("comm.term.change_password", QT_TRANSLATE_NOOP("CommTerms", "change password")),
        Word("comm.term.clear_max_demand", QT_TRANSLATE_NOOP("CommTerms", "clear max demand")),
        Word("comm.term.clear_meter", QT_TRANSLATE_NOOP("CommTerms", "clear meter")),
        Word("comm.term.clear_events", QT_TRANSLATE_NOOP("CommTerms", "clear events")),
        Word("comm.term.relay_control", QT_TRANSLATE_NOOP("CommTerms", "relay control")),
        Word(
            "comm.term.multi_function_terminal_output",
            QT_TRANSLATE_NOOP("CommTerms", "multi-function terminal output"),
        ),
        Word("comm.term.unknown_function", QT_TRANSLATE_NOOP("CommTerms", "unknown function")),
        Word("comm.term.other_error", QT_TRANSLATE_NOOP("CommTerms", "other error")),
        Word(
            "comm.term.no_requested_data",
            QT_TRANSLATE_NOOP(
                "CommTerms", "no requested data (the meter does not have this data identifier)"
            ),
        ),
        Word(
            "comm.term.wrong_password_or_not_authorised",
            QT_TRANSLATE_NOOP("CommTerms", "wrong password or not authorised"),
        ),
        Word(
            "comm.term.baud_rate_cannot_be_changed",
            QT_TRANSLATE_NOOP("CommTerms", "baud rate cannot be changed"),
        ),
        Word(
            "comm.term.year_time_zone_count_exceeded",
            QT_TRANSLATE_NOOP("CommTerms", "year time-zone count exceeded"),
        ),
        Word(
            "comm.term.day_time_period_count_exceeded",
            QT_TRANSLATE_NOOP("CommTerms", "day time-period count exceeded"),
        ),
        Word(
            "comm.term.tariff_count_exceeded",
            QT_TRANSLATE_NOOP("CommTerms", "tariff count exceeded"),
        ),
        Word("comm.term.reserved_bit_set", QT_TRANSLATE_NOOP("CommTerms", "reserved bit set")),
        Word("comm.term.illegal_data", QT_TRANSLATE_NOOP("CommTerms", "illegal data")),
        Word(
            "comm.term.wrong_data_identifier",
            QT_TRANSLATE_NOOP("CommTerms", "wrong data identifier"),
        ),
        Word("comm.term.wrong_password", QT_TRANSLATE_NOOP("CommTerms", "wrong password")),
        Word(
            "comm.term.no_reason_given",
            QT_TRANSLATE_NOOP("CommTerms", "no reason given (ERR = 00)"),
        ),
        Word("comm.term.trip", QT_TRANSLATE_NOOP("CommTerms", "trip")),
        Word(
            "comm.term.close_allowed",
            QT_TRANSLATE_NOOP(
                "CommTerms",
                "close allowed (the relay closes when the user presses the button or the "
                "meter allows)",
            ),
        ),
        Word("comm.term.direct_close", QT_TRANSLATE_NOOP("CommTerms", "direct close")),
        Word(
            "comm.term.trip_with_automatic_restore",
            QT_TRANSLATE_NOOP("CommTerms", "trip with automatic restore (vendor extension)"),
        ),
        Word("comm.term.alarm", QT_TRANSLATE_NOOP("CommTerms", "alarm")),
        Word("comm.term.alarm_release", QT_TRANSLATE_NOOP("CommTerms", "alarm release")),
        Word(
            "comm.term.protection_on",
            QT_TRANSLATE_NOOP("CommTerms", "supply protection on (trip commands are rejected)"),
        ),
        Word(
            "comm.term.protection_release",
            QT_TRANSLATE_NOOP("CommTerms", "supply protection release"),
        ),
        Word(
            "comm.term.combined_active_total_energy",
            QT_TRANSLATE_NOOP("CommTerms", "combined active total energy"),
        ),
        Word(
            "comm.term.forward_active_total_energy",
            QT_TRANSLATE_NOOP("CommTerms", "forward active total energy"),
        ),
        Word(
            "comm.term.forward_active_energy_tariff_1",
            QT_TRANSLATE_NOOP("CommTerms", "forward active energy tariff 1 (sharp)"),
        ),
        Word(
            "comm.term.forward_active_energy_tariff_2",
            QT_TRANSLATE_NOOP("CommTerms", "forward active energy tariff 2 (peak)"),
        ),
        Word(
            "comm.term.forward_active_energy_tariff_3",
            QT_TRANSLATE_NOOP("CommTerms", "forward active energy tariff 3 (flat)"),
        ),
        Word(
            "comm.term.forward_active_energy_tariff_4",
            QT_TRANSLATE_NOOP("CommTerms", "forward active energy tariff 4 (valley)"),
        ),
        Word(
            "comm.term.forward_active_energy_block",
            QT_TRANSLATE_NOOP("CommTerms", "forward active energy block (total, tariffs)"),
        ),
        Word(
            "comm.term.reverse_active_total_energy",
            QT_TRANSLATE_NOOP("CommTerms", "reverse active total energy"),
        ),
        Word("comm.term.voltage_a", QT_TRANSLATE_NOOP("CommTerms", "voltage A")),
        Word("comm.term.voltage_b", QT_TRANSLATE_NOOP("CommTerms", "voltage B")),
        Word("comm.term.voltage_c", QT_TRANSLATE_NOOP("CommTerms", "voltage C")),
        Word(
            "comm.term.voltage_block_a_b_c", QT_TRANSLATE_NOOP("CommTerms", "voltage block A/B/C")
        ),
        Word("comm.term.current_a", QT_TRANSLATE_NOOP("CommTerms", "current A")),
        Word("comm.term.current_b", QT_TRANSLATE_NOOP("CommTerms", "current B")),
        Word("comm.term.current_c", QT_TRANSLATE_NOOP("CommTerms", "current C")),
        Word(
            "comm.term.current_block_a_b_c", QT_TRANSLATE_NOOP("CommTerms", "current block A/B/C")
        ),
        Word("comm.term.active_power_total", QT_TRANSLATE_NOOP("CommTerms", "active power total")),
        Word("comm.term.active_power_a", QT_TRANSLATE_NOOP("CommTerms", "active power A")),
        Word("comm.term.active_power_b", QT_TRANSLATE_NOOP("CommTerms", "active power B")),
        Word("comm.term.active_power_c", QT_TRANSLATE_NOOP("CommTerms", "active power C")),
        Word(
            "comm.term.active_power_block_total_a_b",
            QT_TRANSLATE_NOOP("CommTerms", "active power block total/A/B/C"),
        ),
        Word(
            "comm.term.reactive_power_total", QT_TRANSLATE_NOOP("CommTerms", "reactive power total")
        ),
        Word(
            "comm.term.apparent_power_total", QT_TRANSLATE_NOOP("CommTerms", "apparent power total")
        ),
        Word("comm.term.power_factor_total", QT_TRANSLATE_NOOP("CommTerms", "power factor total")),
        Word("comm.term.grid_frequency", QT_TRANSLATE_NOOP("CommTerms", "grid frequency")),
        Word("comm.term.date_and_weekday", QT_TRANSLATE_NOOP("CommTerms", "date and weekday")),
        Word("comm.term.time", QT_TRANSLATE_NOOP("CommTerms", "time")),
        Word(
            "comm.term.communication_address",
            QT_TRANSLATE_NOOP("CommTerms", "communication address"),
        ),
        Word("comm.term.meter_number", QT_TRANSLATE_NOOP("CommTerms", "meter number")),
        Word("comm.term.status_word_1", QT_TRANSLATE_NOOP("CommTerms", "status word 1")),
        Word("comm.term.status_word_2", QT_TRANSLATE_NOOP("CommTerms", "status word 2")),
        Word(
            "comm.term.status_word_3", QT_TRANSLATE_NOOP("CommTerms", "status word 3 (operation)")
        ),
        Word("comm.term.status_word_4", QT_TRANSLATE_NOOP("CommTerms", "status word 4")),
        Word("comm.term.status_word_5", QT_TRANSLATE_NOOP("CommTerms", "status word 5")),
        Word("comm.term.status_word_6", QT_TRANSLATE_NOOP("CommTerms", "status word 6")),
        Word("comm.term.status_word_7", QT_TRANSLATE_NOOP("CommTerms", "status word 7")),
        Word("comm.term.status_words_1_7", QT_TRANSLATE_NOOP("CommTerms", "status words 1-7")),
        Word("comm.term.cover_open_count", QT_TRANSLATE_NOOP("CommTerms", "cover-open count")),
        Word(
            "comm.term.remaining_money",
            QT_TRANSLATE_NOOP("CommTerms", "remaining money"),
        ),
        Word(
            "comm.term.alarm_amount_1_limit", QT_TRANSLATE_NOOP("CommTerms", "alarm amount 1 limit")
        ),
        Word(
            "comm.term.alarm_amount_2_limit", QT_TRANSLATE_NOOP("CommTerms", "alarm amount 2 limit")
        ),
        Word(
            "comm.term.overdraft_amount_limit",
            QT_TRANSLATE_NOOP("CommTerms", "overdraft amount limit"),
        ),
        Word(
            "comm.term.hoarding_amount_limit",
            QT_TRANSLATE_NOOP("CommTerms", "hoarding amount limit"),
        ),
        Word(
            "comm.term.close_allowed_amount_limit",
            QT_TRANSLATE_NOOP("CommTerms", "close-allowed amount limit"),
        ),
        Word("comm.term.non_prepaid", QT_TRANSLATE_NOOP("CommTerms", "non-prepaid")),
        Word("comm.term.energy_prepaid", QT_TRANSLATE_NOOP("CommTerms", "energy-prepaid")),
        Word("comm.term.money_prepaid", QT_TRANSLATE_NOOP("CommTerms", "money-prepaid")),
        Word("comm.term.reserved", QT_TRANSLATE_NOOP("CommTerms", "reserved")),
        Word("comm.term.yuan", QT_TRANSLATE_NOOP("CommTerms", "yuan")),
        Word(
            "comm.term.illegal_function_the_meter_does_not",
            QT_TRANSLATE_NOOP(
                "CommTerms", "illegal function: the meter does not support this function code"
            ),
        ),
        Word(
            "comm.term.illegal_data_address_the_register_is",
            QT_TRANSLATE_NOOP(
                "CommTerms",
                "illegal data address: the register is not in this meter's map (wrong profile or "
                "firmware?)",
            ),
        ),
        Word(
            "comm.term.illegal_data_value_the_meter_refused",
            QT_TRANSLATE_NOOP(
                "CommTerms",
                "illegal data value: the meter refused a value or quantity in the request",
            ),
        ),
        Word(
            "comm.term.slave_device_failure_the_meter_failed",
            QT_TRANSLATE_NOOP(
                "CommTerms", "slave device failure: the meter failed while executing the request"
            ),
        ),
        Word(
            "comm.term.acknowledge_the_meter_accepted_a_long",
            QT_TRANSLATE_NOOP(
                "CommTerms",
                "acknowledge: the meter accepted a long request and is still working on it",
            ),
        ),
        Word(
            "comm.term.slave_device_busy_try_again_later",
            QT_TRANSLATE_NOOP("CommTerms", "slave device busy: try again later"),
        ),
        Word(
            "comm.term.memory_parity_error_in_the_meter",
            QT_TRANSLATE_NOOP("CommTerms", "memory parity error in the meter"),
        ),
        Word(
            "comm.term.gateway_path_unavailable_the_gateway_has",
            QT_TRANSLATE_NOOP(
                "CommTerms", "gateway path unavailable: the gateway has no route to this slave"
            ),
        ),
        Word(
            "comm.term.gateway_target_device_failed_to_respond",
            QT_TRANSLATE_NOOP(
                "CommTerms",
                "gateway target device failed to respond: the meter behind the gateway is silent",
            ),
        ),
        Word("comm.term.downlink", QT_TRANSLATE_NOOP("CommTerms", "downlink (Modbus RTU inside)")),
        Word("comm.term.data_upload", QT_TRANSLATE_NOOP("CommTerms", "data upload")),
        Word("comm.term.time_sync", QT_TRANSLATE_NOOP("CommTerms", "time sync")),
        Word("comm.term.register", QT_TRANSLATE_NOOP("CommTerms", "register")),
        Word("comm.term.heartbeat", QT_TRANSLATE_NOOP("CommTerms", "heartbeat")),
        Word("comm.term.request", QT_TRANSLATE_NOOP("CommTerms", "request")),
        Word("comm.term.response", QT_TRANSLATE_NOOP("CommTerms", "response")),
    )
}

# said with their Chinese name beside them in English (see `glossed`)
GLOSSED = {
    TERMS[name]
    for name in (
        "trip",
        "direct close",
        "alarm",
        "alarm release",
        "supply protection release",
        "remaining money",
    )
}
# the relay state and supply protection (保电) in status word 3, said glossed
RELAY_OPEN = Word("comm.term.relay_open", QT_TRANSLATE_NOOP("CommTerms", "open"))
RELAY_CLOSED = Word("comm.term.relay_closed", QT_TRANSLATE_NOOP("CommTerms", "closed"))
PROTECTION = Word("comm.term.protection", QT_TRANSLATE_NOOP("CommTerms", "supply protection"))
