"""`python -m app` with no sub-command: open the desktop client.

Order: Qt application, font and language; the database (schema upgraded on start; the
demo market built once); sign in; the main window. `--screenshot FILE.png [--view NAME]`
shows a view, waits for its `loaded` signal, saves `window.grab()` and exits 0.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from app import program
from app.models.db import Database, SchemaMismatch, default_db_url
from app.resources import RESOURCES
from app.services.market import setup, stalls
from app.services.platform.backup import upgrade_with_backup
from app.services.platform.timeutil import site_zone
from app.services.platform.users import first_admin
from app.ui import backup_schedule, ops
from app.ui.backup_schedule import BackupSchedule
from app.ui.client import Client
from app.ui.comm.bridge import CommBridge
from app.ui.comm.follower import ChangeFollower, DatabaseLog
from app.ui.errors import error_text, ui_language
from app.ui.fonts import apply_app_font
from app.ui.labels import forget_translations
from app.ui.settings import options

I18N_DIR = RESOURCES / "i18n"
APP_ICON = RESOURCES / "marketmeter.png"
log = logging.getLogger(__name__)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName("MarketMeter")
    app.setApplicationName("MarketMeter")
    # every window's title bar and the taskbar (the .exe's own icon comes from the spec)
    app.setWindowIcon(QIcon(str(APP_ICON)))
    apply_app_font(app)
    if not hasattr(app, "_mm_gc_timer"):
        app._mm_gc_timer = ops.collect_garbage_on_gui_thread(app)
    return app


def install_language(app: QApplication, lang: str) -> None:
    """zh_CN (the default) loads our translation and Qt's own (dialog buttons); en loads none."""
    for old in getattr(app, "_mm_translators", []):
        app.removeTranslator(old)
    app._mm_translators = []
    app.setProperty("mm_language", lang)  # app.ui.errors shows service errors in this language
    forget_translations()
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    ours = QTranslator(app)
    if ours.load(str(I18N_DIR / f"marketmeter_{lang}.qm")):
        app.installTranslator(ours)
        app._mm_translators.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        app._mm_translators.append(qt_own)


class DemoUnavailable(Exception):
    """--demo on an installation without the demo builder."""


def open_database(args: argparse.Namespace):
    """The database to open, upgraded to the current schema, and the DemoMarket when it is
    the demo (its live meters are started once the window shows)."""
    if args.demo:
        from app.demo.run import DEMO_SPEED, DemoMarket

        market = DemoMarket(speed=args.demo_speed or DEMO_SPEED)
        prepare_demo(market, show=not args.screenshot)
        return market.db, market
    db = Database(args.db or default_db_url())
    # an older database is backed up before it is upgraded, and the clerk is told
    upgraded = upgrade_with_backup(db, backup_schedule.folders()[0])
    if upgraded is not None:
        tell(
            args,
            QCoreApplication.translate("Startup", "Database upgraded"),
            upgraded.say(ui_language()),
            warning=False,
        )
    return db, None


def prepare_demo(market, *, show: bool = True) -> None:
    """Build the demo market unless it is there; a demo database made by a build whose
    schema this one cannot upgrade is built again (it holds only the demo), and the
    progress dialog says why."""
    is_rebuild = market.is_outdated()
    if is_rebuild:
        market.discard()
    if not market.is_built():
        build_with_progress(market, show=show, is_rebuild=is_rebuild)


class _BuildProgress(QObject):
    """Carries the demo build's steps from its worker to the progress dialog."""

    step = Signal(int, int)
    done = Signal(object)  # the error, or None

    def __init__(self, dialog: QProgressDialog | None):
        super().__init__()
        self.dialog = dialog
        self.step.connect(self._show_step, Qt.ConnectionType.QueuedConnection)

    @Slot(int, int)
    def _show_step(self, done: int, total: int) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)


def build_with_progress(market, *, show: bool = True, is_rebuild: bool = False) -> None:
    """The first --demo start lays out the demo market (a second or so) on a worker thread
    while a progress dialog says so; the event loop keeps running meanwhile."""
    dialog = None
    if show:
        text = (
            QCoreApplication.translate(
                "Startup",
                "The demo database was made by an older version of MarketMeter.\nBuilding it "
                "again: "
                "474 electricity and 417 water meters, three months of readings …",
            )
            if is_rebuild
            else QCoreApplication.translate(
                "Startup",
                "Building the demo market (only the first time): 474 electricity and 417 water "
                "meters, "
                "three months of readings …",
            )
        )
        dialog = QProgressDialog(text, "", 0, 0)
        dialog.setWindowTitle(QCoreApplication.translate("Startup", "MarketMeter demo"))
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(460)
        dialog.show()
    relay = _BuildProgress(dialog)
    loop = QEventLoop()
    outcome: dict[str, BaseException | None] = {}

    def finished(error) -> None:
        outcome["error"] = error
        loop.quit()

    relay.done.connect(finished, Qt.ConnectionType.QueuedConnection)

    def work() -> None:
        try:
            market.lay_out()  # the history fills in behind the main window (DemoFill)
            relay.done.emit(None)
        except BaseException as exc:  # noqa: BLE001 — handed to the GUI thread and raised there
            relay.done.emit(exc)

    threading.Thread(target=work, name="demo-build", daemon=True).start()
    loop.exec()
    if dialog is not None:
        dialog.close()
    if outcome.get("error") is not None:
        raise outcome["error"]


def first_run_setup(db: Database, runner: ops.OpRunner) -> bool:
    """On a database with no market (or a market whose setup stopped before its
    administrator) the setup wizard opens; False when the person stopped it there."""
    with db.transaction() as s:
        state = setup.first_run(s)
    if not state.needs_setup:
        return True
    from app.ui.setup.setup_wizard import SetupWizard

    wizard = SetupWizard(runner, state.site)
    accepted = wizard.exec() == SetupWizard.DialogCode.Accepted
    # stopped after step 2: the administrator exists, so the next start signs in and the
    # overview lists the steps still to do
    return accepted or wizard.client is not None


def sign_in(db: Database, *, automatic: bool):
    """(the signed-in Actor or None if the clerk quit the login dialog, the site's name,
    the site's time zone)."""
    with db.transaction() as s:
        site_id = stalls.first_site_id(s)
        site_name = stalls.site_name(s, site_id) if site_id else ""
        timezone = site_zone(s, site_id).key if site_id else ""
        admin = first_admin(s, site_id) if automatic else None
    if site_id is None:
        raise LookupError(
            QCoreApplication.translate(
                "Startup",
                "This database has no market yet. Start MarketMeter without --screenshot and "
                "follow its setup, or run: %1",
            ).replace("%1", program.command_text("market", "create", "--name", "NAME"))
        )
    if automatic:
        if admin is None:
            raise LookupError(
                QCoreApplication.translate(
                    "Startup",
                    "This database has no active administrator. Add one with: %1",
                ).replace("%1", program.command_text("user", "add", "NAME", "--role", "admin"))
            )
        return admin, site_name, timezone
    from app.ui.login_dialog import LoginDialog

    dialog = LoginDialog(site_name)
    QTimer.singleShot(0, lambda: mark("sign-in"))  # runs once the dialog shows
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return None, site_name, timezone
    return dialog.actor, site_name, timezone


def run_client(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if (
        args.screenshot
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and sys.platform != "win32"
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    app = make_app()
    install_language(app, args.lang or options.LANGUAGE.get())
    try:
        db, market = open_database(args)
        is_demo = market is not None
    except DemoUnavailable as exc:
        tell(args, QCoreApplication.translate("Startup", "MarketMeter"), str(exc))
        return 1
    except SchemaMismatch as exc:
        log.error("cannot use the database: %s", exc.english)
        tell(
            args, QCoreApplication.translate("Startup", "Cannot open the database"), error_text(exc)
        )
        return 1
    except Exception as exc:  # noqa: BLE001 — any failure to open is told to the clerk, then we stop
        log.exception("cannot open the database")
        tell(
            args,
            QCoreApplication.translate("Startup", "Cannot open the database"),
            QCoreApplication.translate("Startup", "The database could not be opened:")
            + "\n"
            + error_text(exc),
        )
        return 1
    runner = ops.bind(db)
    if not (is_demo or args.screenshot) and not first_run_setup(db, runner):
        return 0
    try:
        actor, site_name, timezone = sign_in(db, automatic=is_demo or bool(args.screenshot))
    except LookupError as exc:
        tell(args, QCoreApplication.translate("Startup", "MarketMeter"), str(exc))
        return 1
    if actor is None:
        return 0
    bridge = CommBridge()
    schedule = None if is_demo else BackupSchedule(db)
    if schedule is not None and not args.screenshot:
        schedule.start()
    client = Client(
        runner=runner,
        actor=actor,
        site_name=site_name,
        comm=bridge,
        is_demo=is_demo,
        timezone=timezone,
        backups=schedule,
    )

    from app.ui.main_window import VIEW_NAMES, MainWindow

    window = MainWindow(client)
    window.show()
    QTimer.singleShot(0, lambda: mark("window"))
    fill = None
    if market is not None and not market.is_filled():
        from app.ui.demo_fill import DemoFill

        fill = DemoFill(window, market, bridge)
        fill.finished.connect(lambda error: error is None and mark("demo-filled"))
    if args.screenshot:
        view = args.view or "overview"
        if view not in VIEW_NAMES:
            print(f"error: --view must be one of {', '.join(VIEW_NAMES)}", file=sys.stderr)
            return 2
        if fill is not None:  # the picture shows how far the history is; the next start fills
            fill.show_progress()
        return take_screenshot(app, window, view, Path(args.screenshot))
    # A collection service in another process tells this client what it stored through the
    # database's change feed; the demo's runs here and calls the bridge itself.
    follower = None if market is not None else ChangeFollower(db, actor.site_id, bridge).start()
    if follower is not None:
        # the comm monitor shows the market's service's frames and errors, wherever it runs
        bridge.attach_log(DatabaseLog(db, actor.site_id))
    shown = {e.name for e in window.entries}
    window.show_view(options.LAST_VIEW.get() if options.LAST_VIEW.get() in shown else "overview")
    if fill is not None:  # the live meters start once the history is complete
        fill.start(then=lambda: start_demo_comm(window, market, bridge))
    elif market is not None:
        start_demo_comm(window, market, bridge)
    elif getattr(args, "collect", False):
        start_collection(window, db, bridge)
    code = app.exec()
    if fill is not None:
        fill.stop()  # after the day being filled: the next start carries on
    if follower is not None:
        follower.stop()
    bridge.stop()
    if schedule is not None:
        schedule.at_exit()  # the window is gone: the backup as the client closes
    runner.shutdown()
    db.dispose()
    return code


def mark(moment: str) -> None:
    """With MARKETMETER_MARKS set, a timestamped line on stderr when the program reaches
    `moment` (bench/first_start.py times the start without a screen)."""
    if os.environ.get("MARKETMETER_MARKS") and sys.stderr is not None:
        print(f"marketmeter-mark {moment} {time.time():.3f}", file=sys.stderr, flush=True)


def tell(args: argparse.Namespace, title: str, text: str, *, warning: bool = True) -> None:
    """A message before the window exists: a dialog, or a line on stderr for --screenshot."""
    if args.screenshot:
        print(f"error: {text}" if warning else text, file=sys.stderr)
    elif warning:
        QMessageBox.warning(None, title, text)
    else:
        QMessageBox.information(None, title, text)


def take_screenshot(app: QApplication, window, view_name: str, path: Path) -> int:
    view = window.show_view(view_name)
    result = {"code": 1}

    def grab() -> None:
        # One more turn of the event loop so the just-loaded rows are laid out and painted.
        QTimer.singleShot(50, save)

    def save() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        result["code"] = 0 if window.grab().save(str(path)) else 1
        window.close()
        app.quit()

    if view.is_loaded:
        grab()
    else:
        view.loaded.connect(grab)
    QTimer.singleShot(60_000, app.quit)  # never hang a script: give up after a minute
    app.exec()
    ops.runner().shutdown()
    return result["code"]


def start_demo_comm(window, market, bridge: CommBridge) -> None:
    """The demo's live meters: the simulator and the collection service start on a worker
    (a few seconds), then the comm monitor follows the poller and every stored reading or
    command result reaches the views through the bridge. Closing the window stops both."""

    def body():
        market.start(on_change=bridge.on_changes, on_meters=bridge.on_meters)
        return market

    def started(market) -> None:
        bridge.attach_poller(market.service.poller, stop=market.stop)
        window.statusBar().showMessage(
            QCoreApplication.translate("Startup", "Demo meters running, clock %1× faster").replace(
                "%1", f"{market.speed:g}"
            ),
            15_000,
        )

    def failed(error: BaseException) -> None:
        log.error("demo comm did not start", exc_info=error)
        market.stop()
        window.statusBar().showMessage(
            QCoreApplication.translate(
                "Startup", "The simulated meters could not start; the demo shows its stored data."
            )
            + " "
            + error_text(error)
        )

    ops.CommOp(window, body).success(started).failure(failed).run()


def start_collection(window, db: Database, bridge: CommBridge) -> None:
    """`--collect`: this client reads the meters itself (single PC with the lines), in a
    child process (`python -m app service`) so that the window has its own GIL and garbage
    collector; the comm monitor follows it and the status bar says if it stops."""
    from app.ui.comm.service_process import ServiceNotStarted, ServiceProcess

    service = ServiceProcess(db.url)

    def failed(error: BaseException) -> None:
        log.error("collection did not start", exc_info=error)
        if isinstance(error, ServiceNotStarted):
            text = (
                QCoreApplication.translate(
                    "Startup",
                    "Meter reading could not start (the collection process ended with code %1). "
                    "Give this log file to your administrator: %2",
                )
                .replace("%1", str(error.exit_code))
                .replace("%2", str(error.log_file))
            )
        else:
            text = (
                QCoreApplication.translate("Startup", "Meter reading could not start:")
                + " "
                + error_text(error)
            )
        bridge.problem = text
        bridge.state_changed.emit()

    def show_problem() -> None:  # until another message replaces it
        if bridge.problem:
            window.statusBar().showMessage(bridge.problem)

    bridge.state_changed.connect(show_problem)
    ops.CommOp(window, service.start).success(lambda _port: bridge.attach_service(service)).failure(
        failed
    ).run()
