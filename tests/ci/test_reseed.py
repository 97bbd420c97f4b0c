"""The suite's own plumbing: after a transactional test flushes the database, tests/conftest.py
puts back every row the data migrations seeded (ranks, rule sets and every app's rules, review
departments, ...), found from the migration plan, so a test that follows one on the same
worker sees the database as migrated."""

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.conftest import reseed_if_flushed

# The ledger's head row comes with the migration that installs the triggers; recording an event
# creates it again after a flush (gongxin/ledger/recording.py), so it is not a seed.
NOT_SEEDS = {"ledger.LedgerHead"}


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model.__module__.startswith("gongxin.") and model._meta.label not in NOT_SEEDS}


@pytest.mark.django_db(transaction=True)
def test_reseed_after_a_flush_restores_every_seeded_row():
    migrated = {label: n for label, n in _counts().items() if n}
    assert {"people.Rank", "cases.Rule", "inspection.ReviewDepartment"} <= set(migrated)
    call_command("flush", interactive=False, verbosity=0)
    assert not any(_counts().values())
    reseed_if_flushed()
    assert {label: n for label, n in _counts().items() if n} == migrated


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_test_that_restores_itself_after_a_flush_loads_the_migrated_rows():
    """Runs after the test above on the same worker (a file's tests run in their order). That
    test's flush made the content types and permissions again under new ids (post_migrate),
    and the seeds came back under new ids too; this test's own load of the migrated rows used
    to collide with them on their unique names (CI on PostgreSQL, after a live-server test).
    tests/conftest.py now empties the database first."""
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.filter(app_label="auth", model="permission").count() == 1
    assert {"people.Rank", "cases.Rule", "inspection.ReviewDepartment"} <= {
        label for label, n in _counts().items() if n}
