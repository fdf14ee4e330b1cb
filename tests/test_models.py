"""Schema and money storage on both databases."""

from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

import app.models
from app.models.account import Account, EntryKind, LedgerEntry
from app.models.site import Building, Site, Stall
from app.services.money.ledger import ledger_sum, lock_account, post


def test_migrations_build_exactly_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), app.models.Base.metadata)
    assert diff == []


def a_stall_account(s, code="A001") -> Account:
    site = s.scalar(select(Site)) or Site(code="S1", name="测试市场")
    s.add(site)
    s.flush()
    building = Building(site_id=site.id, name=f"B-{code}")
    s.add(building)
    s.flush()
    stall = Stall(site_id=site.id, building_id=building.id, code=code)
    s.add(stall)
    s.flush()
    account = Account(stall_id=stall.id)
    s.add(account)
    s.flush()
    return account


def test_money_sums_and_compares_as_exact_decimal(db):
    with db.transaction() as s:
        account = lock_account(s, a_stall_account(s).id)
        for _ in range(10):
            post(s, account, EntryKind.RECHARGE, Decimal("0.10"))
        post(s, account, EntryKind.BILL, Decimal("-0.30"))
    with db.transaction() as s:
        total = s.scalar(select(func.sum(LedgerEntry.amount)))
        assert total == Decimal("0.70") and isinstance(total, Decimal)
        assert ledger_sum(s, account.id) == Decimal("0.70")
        assert (
            s.scalar(select(LedgerEntry.id).where(LedgerEntry.amount > Decimal("0.09"))) is not None
        )
        assert s.get(Account, account.id).balance == Decimal("0.70")


def test_a_read_sees_its_snapshot_while_a_writer_holds_the_database(db):
    """A view's rows are read while the collection service writes: the read must not wait
    for the writer (it would time out as "database is locked" on SQLite otherwise)."""
    import threading

    with db.transaction() as s:
        s.add(Site(code="S1", name="一号市场"))
    writing, read_done = threading.Event(), threading.Event()

    def writer():
        with db.transaction() as s:
            s.add(Site(code="S2", name="二号市场"))
            s.flush()
            writing.set()
            read_done.wait(30)

    t = threading.Thread(target=writer)
    t.start()
    try:
        assert writing.wait(10)
        with db.reading() as s:
            assert s.scalars(select(Site.code).order_by(Site.code)).all() == ["S1"]
    finally:
        read_done.set()
        t.join()
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Site)) == 2


def test_after_a_failed_write_the_next_writer_of_another_thread_gets_its_turn_at_once(sqlite_db):
    """The write turn of this process (WriterQueue) passes on at ROLLBACK as at COMMIT: a
    clerk's action that failed half-way must not hold up the collection service."""
    import threading
    import time

    with pytest.raises(RuntimeError), sqlite_db.transaction() as s:
        s.add(Site(code="S1", name="一号市场"))
        s.flush()
        raise RuntimeError("the clerk's action failed")
    took: list[float] = []

    def writer():
        started = time.monotonic()
        with sqlite_db.transaction() as s:
            s.add(Site(code="S2", name="二号市场"))
        took.append(time.monotonic() - started)

    t = threading.Thread(target=writer)
    t.start()
    t.join(30)
    # held by the failed transaction, the turn would make it wait the queue's 60 s and fail:
    # 10 s tells the two apart on a machine many times slower than this one
    assert took and took[0] < 10.0, took
    with sqlite_db.reading() as s:
        assert s.scalars(select(Site.code)).all() == ["S2"]


# Real markets have run these: a landed revision is never edited, a change is a new one on top
# (`python -m app.models.migrations.new "…"`). Add each new revision here when it lands.
LANDED_REVISIONS = {
    "0001_initial.py": "b68f6ad5641120804437dd513ce7001d03e121663fcd9af5716dda1369855c10",
    "0002_four_eyes_submitter_may_approve.py": "1d3107ed5df0a4a8d5cb68ddb0312662d08159a7fca7ddf2c0caf94d8cf2481d",  # noqa: E501
    "0003_shared_pool_additional_reason.py": "a3384fe17df5f6da1e7a33aa5747067d21a912f8b7ab794b38d2f4c6b57b07ab",  # noqa: E501
    "0004_dialin_identity_held_readings_retries.py": "24fd477d54c914c7b9d4685e1d7a16778beb1a066c75f55e71f5f7a035a0732c",  # noqa: E501
    "0005_audit_log_stall_and_paging_indexes.py": "8403f26c12aeb11518eec0756579a4c285658a94e0a00b6936bf2961fd0b7de3",  # noqa: E501
    "0006_comm_results_stored_as_words.py": "2a8b843fbef8b8803f05c04e58a467855bb40c463298c12a87de95695d85e829",  # noqa: E501
    "0007_sign_in_lock.py": "495934c4c455293c6ddd1eb3c52b23acd2496f716e2018d9358208de6084b48a",
    "0008_program_texts_stored_as_words.py": "2844114f0e17dd2c4bb04256d834ee27625bec13a46a5adc391b79b6811cfce8",  # noqa: E501
    "0009_receipt_header_and_footer_lines.py": "e39627a21b8eb9d65296d56c33523c59625fab02b2a4aa6ff226cec6651ee33c",  # noqa: E501
    "0010_change_feed_of_every_writer_market_service.py": "40922137ba9331d30f54de9897d6c669e28d231f76d02ca01313ba844995ae4c",  # noqa: E501
    "0011_bill_lines_stored_as_words.py": "6f6f592e7c1f2bc6bda2247725e1c247c1cac6b7d6260c258c620dc0fa34d363",  # noqa: E501
    "0012_market_default_alarm_levels_for_new_stalls.py": "c82082c7dc22c4ab6b3b2cbdaa4d595abe227636e4e05a45efc30b6733298bae",  # noqa: E501
    "0013_tenant_portal_sms_sessions_stall_access.py": "9b678b6889011a57ded75cedf8597f5e85ee6a18177a2cf2dbdce5b1de6aa607",  # noqa: E501
    "0014_online_payment_orders_and_merchant_settings.py": "7f130f2e6508c085a77c554d5ba7b2ec36ffe5d4352c3e2bed39eea9d81f1352",  # noqa: E501
    "0015_stall_floor_and_usage_index.py": "456384a83c30a4ce43dce54ededc68441a21d8616cbb69e86c3db35166b555ed",  # noqa: E501
    "0016_safety_alerts_line_losses.py": "51efa81bc4ddad5b78a4649692a9fa75434d5283730a2db68707e7dfd7ccc8d0",  # noqa: E501
    "0017_sms_notices_to_tenants.py": "529524f549385a9729c4fbc5544a226a59218ac2481a9863ca56b6d9e0ae1366",  # noqa: E501
    "0018_payment_order_code_url.py": "af20eff283822bd7f9acb2a78cefcf315dcaedb835d87c6b83afd019ddc4f1ae",  # noqa: E501
    "0019_meter_day_by_day.py": "4b18dd62329e7ce9cf86254c8a1b66cb26d524709b7acda577ee9bbfdf83658c",  # noqa: E501
    "0020_jsapi_prepay_id_code_client_address.py": "182eade89c0bdb6036d804e45fa5ba1b5a73dfd6adc54298c36d80a12bb9e0cc",  # noqa: E501
}


def test_landed_migrations_are_never_edited():
    import hashlib

    from app.models.db import MIGRATIONS

    on_disk = {p.name for p in (MIGRATIONS / "versions").glob("[0-9]*.py")}
    assert on_disk == set(LANDED_REVISIONS), (
        "pin each new revision in LANDED_REVISIONS when it lands"
    )
    for name, digest in LANDED_REVISIONS.items():
        path = MIGRATIONS / "versions" / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, (
            f"{name} has landed and must not change: write a new revision on top of the last"
        )
