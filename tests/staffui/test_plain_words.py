"""Issue 19, every staff page of the demo, for each demo role:

- plain words: no page shows a code (``word.word.word``, ``app.model:id``, ``key=value``) or a
  username in its visible text;
- pickers: no <select> of more than 100 options; cadres and posts are found by typing, units in
  a folding tree.

The demo (small size) is built once for the module through its real actions, inside a
transaction rolled back at the end; each test runs in a savepoint of its own, so the walks
see the demo as built and nothing one does is seen by the other."""

import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from tests.conftest import isolated_settings

from .walk import big_selects, visible_text, walk

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # one demo build, two walks

CODE_PATTERNS = {
    "dotted code": re.compile(r"(?<![\w./@-])[a-z][a-z_]*\.[a-z][a-z_]*\.[a-z][a-z_]*(?![\w/-])"),
    "subject code": re.compile(r"(?<![\w.])[a-z][a-z_]*\.[a-z][a-z_]*:\d+"),
    "key=value": re.compile(r"(?<![\w])[a-z][a-z_]*=[^\s=]"),
}
# What may look like a code and is not one to a reader (each with its reason):
ALLOWED = {
    # the ledger record's signed content is shown as it was signed, for checking by hand
    "ledger:event_detail": {"dotted code", "subject code", "key=value", "username"},
    # a checkpoint's signed note is shown as signed (its key name is part of what is verified)
    "ledger:checkpoint_list": {"dotted code"},
    # account management is where login names are set: the 用户名 column is the point of it
    "accounts:user_list": {"username"},
    "accounts:user_edit": {"username"},
}


@pytest.fixture(scope="module")
def built_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    import io

    folder = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock(), override_settings(DATA_DIR=folder, **isolated_settings(folder)):
        with transaction.atomic():
            call_command("demo", build_only=True, size="small", stdout=io.StringIO())
            yield folder
            transaction.set_rollback(True)


@pytest.fixture
def demo(built_demo, settings):
    """The module's demo, with the data folder, uploads and ledger key it was built with."""
    settings.DATA_DIR = built_demo
    settings.MEDIA_ROOT = str(built_demo / "media")
    settings.LEDGER_KEY_FILE = str(built_demo / "ledger.key")


def _one_account_per_role():
    from gongxin.accounts.models import User

    chosen = {}
    for user in User.objects.filter(is_active=True).order_by("username"):
        chosen.setdefault(user.role, user)
    return chosen


def test_no_code_and_no_username_on_any_staff_page_for_any_role(demo, client):
    from gongxin.accounts.models import User

    usernames = set(User.objects.values_list("username", flat=True))
    username_re = re.compile(r"(?<![\w.@/-])(" + "|".join(map(re.escape, sorted(usernames, key=len, reverse=True))) + r")(?![\w.@/-])")
    problems = []
    walked = {}
    for role, user in _one_account_per_role().items():
        client.force_login(user)
        result = walk(client)
        walked[role] = len(result.pages)
        for page in result.pages:
            text = visible_text(page.html)
            allowed = ALLOWED.get(page.name, set())
            for label, pattern in CODE_PATTERNS.items():
                if label in allowed:
                    continue
                for m in pattern.finditer(text):
                    problems.append(f"{role} {page.url} [{label}] …{text[max(0, m.start() - 30):m.end() + 30]}…")
            if "username" not in allowed:
                for m in username_re.finditer(text):
                    problems.append(f"{role} {page.url} [username {m.group(1)}] …{text[max(0, m.start() - 30):m.end() + 30]}…")
        client.logout()
    assert all(n >= 2 for n in walked.values()), walked
    assert not problems, f"{len(problems)} codes on screen:\n" + "\n".join(problems[:80])


# ---- pickers: no <select> of more than 100 options ---------------------------------------------
# NOT_YET lists, by page and field, selects still waiting for their picker (none now); the test
# fails on any other, and on an entry here that no longer needs to be here.

NOT_YET: set[tuple[str, str]] = set()


def test_no_select_has_more_than_100_options(demo, client):
    found = set()
    for _role, user in _one_account_per_role().items():
        client.force_login(user)
        for page in walk(client, per_pattern=1).pages:
            for name, n in big_selects(page.html):
                found.add((page.name, name, n))
        client.logout()
    unexpected = sorted(f for f in found if (f[0], f[1]) not in NOT_YET)
    assert not unexpected, unexpected
