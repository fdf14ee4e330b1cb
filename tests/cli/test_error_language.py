"""An error a command-line user meets is one line in the command line's language
(MARKETMETER_LANG), whichever command they typed."""

from __future__ import annotations

import pytest

from app.cli import main as cli_main


@pytest.mark.parametrize(
    "argv, chinese, english",
    [
        (["comm", "decode", "0G"], "错误：不是十六进制：“0G”", "error: not hex: “0G”"),
        (
            ["comm", "decode", "0 1 0"],
            "十六进制数字个数为奇数（3 个）",
            "odd number of hex digits (3)",
        ),
        (["comm", "decode", "01", "--profile", "nope"], "没有表型 nope", "unknown profile nope"),
        (["comm", "read", "--address", "1"], "请给出 --channel", "give --channel or --manifest"),
        (
            ["comm", "read", "--channel", "modbus_tcp:nohostport", "--address", "1"],
            "应写成 类型:主机:端口",
            "expected KIND:HOST:PORT",
        ),
        (
            ["comm", "read", "--channel", "modbus_tcp:127.0.0.1:1", "--address", "300"],
            "Modbus 从站地址是 1 到 247 之间的数字",
            "a Modbus slave id is a number from 1 to 247",
        ),
        (["sim", "--speed", "0"], "--speed 必须大于 0", "--speed must be above 0"),
        (["sim", "--misbehave", "explode"], "MODE 为 ", "MODE one of "),
        (["sim", "--listen", "nowhere"], "--listen 应写成 主机:端口", "--listen must be HOST:PORT"),
    ],
)
def test_an_error_is_said_in_the_command_lines_language(
    capsys, monkeypatch, argv, chinese, english
):
    for lang, expected in (("zh_CN", chinese), ("en", english)):
        monkeypatch.setenv("MARKETMETER_LANG", lang)
        assert cli_main(argv) == 2
        out, err = capsys.readouterr()
        assert expected in err and err.count("\n") == 1 and out == "", (lang, err)
    assert err.startswith("error: ")
