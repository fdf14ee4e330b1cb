"""Errors as the clerk sees them: what happened and what to do, never a traceback.

Service and amount errors carry a Chinese and an English text written for the clerk;
the one of the language the client runs in (install_language) is shown.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy.exc import OperationalError

from app.models.clerk_message import ClerkMessage
from app.models.money import AmountError
from app.services.platform.context import PermissionDenied, ServiceError


def ui_language() -> str:
    """The language the client runs in: "en" or "zh_CN" (the default, also before
    install_language has run)."""
    app = QApplication.instance()
    return (app.property("mm_language") if app is not None else None) or "zh_CN"


def error_text(error: BaseException) -> str:
    if isinstance(error, ClerkMessage):  # service, amount and schema errors
        return error.text(ui_language())
    if isinstance(error, (OperationalError, sqlite3.OperationalError)):
        return QCoreApplication.translate(
            "Errors",
            "The database cannot be reached or is busy. Check the network connection to the "
            "database server (or that no other program has the file open), then try again.",
        )
    return QCoreApplication.translate(
        "Errors",
        "The action could not be completed because of an internal error. Nothing was changed. "
        "The details are in the log file; please tell your administrator.",
    )


def error_title(error: BaseException) -> str:
    if isinstance(error, PermissionDenied):
        return QCoreApplication.translate("Errors", "Not allowed")
    if isinstance(error, (ServiceError, AmountError)):
        return QCoreApplication.translate("Errors", "Cannot do this")
    return QCoreApplication.translate("Errors", "Error")


def show_error(parent: QWidget | None, error: BaseException) -> None:
    QMessageBox.warning(parent, error_title(error), error_text(error))
