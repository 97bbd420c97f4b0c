"""The list versions' after-commit bump: one callback per transaction however many saves it holds
(a bulk import saving thousands of rows used to queue thousands), and the tokens still move at
the save and again at the commit."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from gongxin.core.lists import versions

pytestmark = pytest.mark.django_db(transaction=True)


def _ours():
    return [entry for entry in connection.run_on_commit if getattr(entry[1], "_gx_listver", False)]


def _token(label):
    return cache.get(versions._key(label))


def test_many_saves_in_one_transaction_register_one_callback_and_bump_at_commit(cast):
    zhang, unit = cast["cadres"]["zhang"], cast["lizhuang"]
    before = _token("people.Cadre")
    with transaction.atomic():
        for _ in range(200):
            zhang.save()
        unit.save()
        assert len(_ours()) == 1
        at_save = (_token("people.Cadre"), _token("people.OrgUnit"))
        assert at_save[0] != before  # the save-time bump
    after = (_token("people.Cadre"), _token("people.OrgUnit"))
    assert after[0] != at_save[0] and after[1] != at_save[1]  # both models bumped once more at the commit
    assert _ours() == []


def test_a_rolled_back_savepoint_drops_its_callback_and_the_next_save_registers_one(cast):
    zhang = cast["cadres"]["zhang"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                zhang.save()
                assert len(_ours()) == 1
                raise RuntimeError
        except RuntimeError:
            pass
        assert _ours() == []
        zhang.save()
        zhang.save()
        assert len(_ours()) == 1
        inside = _token("people.Cadre")
    assert _token("people.Cadre") != inside


def test_a_save_outside_a_transaction_registers_nothing(cast):
    zhang = cast["cadres"]["zhang"]
    before = _token("people.Cadre")
    zhang.save()
    assert _token("people.Cadre") != before
    assert _ours() == []
