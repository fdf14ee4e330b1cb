"""Settings → Backups as the administrator uses it, the automatic schedule, and the overview's
warning when there is no good backup."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from app.services.platform.backup import JOURNAL, records
from app.ui.backup_schedule import BackupSchedule
from app.ui.overview.overview_view import OverviewView
from app.ui.settings import options
from app.ui.settings.settings_view import SettingsView


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "backups"
    options.BACKUP_FOLDER.put(str(folder))
    return folder


@pytest.fixture
def client(make_client, sqlite_db, folder, language):
    language("en")
    client = make_client()
    client.backups = BackupSchedule(sqlite_db)
    yield client
    client.backups.at_exit()


def test_back_up_now_lists_the_backup_with_its_time_size_and_check(qtbot, client, folder, market):
    market.a_stall("A001", balance="12.30")
    view = SettingsView(client)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    page = view.show_page("backups")
    assert page.table.rowCount() == 0
    with qtbot.waitSignal(client.backups.finished, timeout=60_000):
        page.back_up_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)
    assert page.table.item(0, 2).text().startswith("Good")
    assert page.table.item(0, 1).text().endswith("MB")
    assert page.table.item(0, 3).text().startswith(str(folder / "marketmeter-"))
    assert page.back_up_button.isEnabled() and page.status.text().startswith("Good")
    view.grab().save(str(folder.parent / "backups_page.png"))


def test_the_second_folder_gets_its_own_checked_backup_and_may_not_be_the_first(
    qtbot, client, folder, tmp_path
):
    view = SettingsView(client)
    qtbot.addWidget(view)
    page = view.show_page("backups")
    page.second.setText(str(folder))
    assert "second folder is the backup folder itself" in page.check()
    page.second.setText(str(tmp_path / "usb"))
    assert page.check() is None
    page.save()
    with qtbot.waitSignal(client.backups.finished, timeout=60_000) as done:
        client.backups.back_up_now()
    assert [r.ok for r in done.args[0]] == [True, True]
    assert len(records(folder)) == len(records(tmp_path / "usb")) == 1


def test_a_backup_is_due_daily_at_the_set_time_and_at_most_once_an_hour(qtbot, client):
    options.BACKUP_TIME.put("12:30")
    zone = datetime.now().astimezone().tzinfo
    assert client.backups.is_due(datetime(2026, 12, 7, 9, 0, tzinfo=zone))  # none yet
    with qtbot.waitSignal(client.backups.finished, timeout=60_000):
        client.backups.back_up_now()
    made = client.backups.records()[0].at
    local = made.astimezone(zone)
    today_due = datetime.combine(local.date(), datetime.min.time(), zone).replace(
        hour=12, minute=30
    )
    if local < today_due:
        assert not client.backups.is_due(today_due - timedelta(minutes=1))
        assert client.backups.is_due(today_due + timedelta(hours=2))
    assert not client.backups.is_due(local + timedelta(minutes=30))  # at most one an hour
    assert client.backups.is_due(today_due + timedelta(days=1, minutes=1))


def test_at_exit_a_backup_is_made_unless_one_was_made_within_the_hour(qtbot, client, folder):
    client.backups.at_exit()
    assert len(records(folder)) == 1
    client.backups.at_exit()
    assert len(records(folder)) == 1


def test_the_overview_warns_when_there_is_no_good_backup_for_two_days(qtbot, client, folder):
    folder.mkdir()
    old = datetime.now(UTC) - timedelta(days=3)
    (folder / "marketmeter-old.db").write_bytes(b"x")
    (folder / JOURNAL).write_text(
        json.dumps(
            {
                "file": "marketmeter-old.db",
                "at": old.isoformat(),
                "size": 1,
                "ok": True,
                "result": {"code": "backup.good", "params": {"accounts": 1}},
            }
        )
        + "\n"
    )
    view = OverviewView(client)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert view.backup_warning.isVisible()
    assert "No good backup for two days" in view.backup_warning.text()
    with qtbot.waitSignal(client.backups.finished, timeout=60_000):
        client.backups.back_up_now()
    qtbot.waitUntil(lambda: not view.backup_warning.isVisible(), timeout=5000)
