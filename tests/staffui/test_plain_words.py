"""Issue 19, plain words: as each demo role, every staff page it can reach shows no code
(``word.word.word``, ``app.model:id``, ``key=value``) and no username in its visible text.

The demo (small size) is built once for the module through its real actions."""

import re

import pytest
from django.core.management import call_command

from .walk import visible_text, walk

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def demo(settings, tmp_path):
    import io

    settings.DATA_DIR = tmp_path
    call_command("demo", build_only=True, size="small", stdout=io.StringIO())


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
