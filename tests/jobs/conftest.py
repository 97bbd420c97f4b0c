import pytest


@pytest.fixture
def clerk(cast):
    return cast["users"]["clerk"]


@pytest.fixture
def org_admin(cast):
    return cast["users"]["org_admin"]


@pytest.fixture
def run_worker(monkeypatch):
    """The database worker in batch mode, inside the test's transaction: its
    close_old_connections() would close the connection the test's transaction lives on
    (a real worker is outside any transaction, where that is what one wants)."""
    from django_tasks_db.management.commands import db_worker

    from gongxin.jobs.management.commands.worker import run_db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: run_db_worker(batch=True, interval=0)
