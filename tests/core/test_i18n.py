"""The English catalogue: Chinese msgids are canonical, English comes from locale/en.

The pages switch to English through the language switch (/i18n/setlang/), and the
catalogue itself is complete: no empty or fuzzy entries, every placeholder kept, the
committed .mo matches the .po, and domain terms use the GLOSSARY words."""

import collections
import gettext
import re
from pathlib import Path

import pytest
from django.test import Client

import gongxin

LOCALE = Path(gongxin.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE / "django.po"
MO_PATH = LOCALE / "django.mo"

# ---------------------------------------------------------------- a small .po reader


def _unquote(token: str) -> str:
    body = token.strip()
    assert body.startswith('"') and body.endswith('"'), body
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), "\\" + m.group(1)), body[1:-1])


def parse_po(text: str) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr (str) or msgstr_plural (dict),
    flags (set). Obsolete (#~) entries are skipped; the header (msgid "") is included."""
    entries, current, field = [], None, None

    def finish():
        if current is not None and "msgid" in current:
            entries.append(current)

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and "msgid" in current and field is not None:
                finish()
                current, field = None, None
            if current is None:
                current = {"flags": set(), "msgstr_plural": {}}
            if line.startswith("#,"):
                current["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = _unquote(line)
            if isinstance(field, tuple):
                current["msgstr_plural"][field[1]] += value
            else:
                current[field] += value
            continue
        if keyword in ("msgctxt", "msgid") and current is not None and "msgid" in current:
            finish()
            current = None
        if current is None:
            current = {"flags": set(), "msgstr_plural": {}}
        plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural:
            field = ("msgstr_plural", int(plural.group(1)))
            current["msgstr_plural"][field[1]] = _unquote(rest)
        else:
            assert keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"), raw
            field = keyword
            current[field] = _unquote(rest)
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue():
    entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
    return [e for e in entries if e["msgid"]]  # drop the header


def _translations(entry) -> list[str]:
    if "msgid_plural" in entry:
        return [entry["msgstr_plural"][k] for k in sorted(entry["msgstr_plural"])]
    return [entry["msgstr"]]


PLACEHOLDER = re.compile(r"%\([^)]+\)[sdfr]|%[sdfr%]|\{[A-Za-z_][A-Za-z0-9_]*\}|&[a-z]+;|&#\d+;")
CJK = re.compile(r"[\u3400-\u9fff]")


# ---------------------------------------------------------------- the catalogue itself


def test_the_reader_understands_plurals_continuations_and_flags():
    text = (
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "共 %(n)s 条"\nmsgid_plural "共 %(n)s 条"\n'
        'msgstr[0] "%(n)s entry"\nmsgstr[1] ""\n"%(n)s entries"\n\n'
        '#, fuzzy\nmsgid "甲"\nmsgstr "A \\"quoted\\""\n\n#~ msgid "旧"\n#~ msgstr "old"\n'
    )
    header, plural, fuzzy = parse_po(text)
    assert header["msgid"] == "" and header["msgstr"] == "Language: en\n"
    assert plural["msgstr_plural"] == {0: "%(n)s entry", 1: "%(n)s entries"}
    assert "python-format" in plural["flags"]
    assert fuzzy["flags"] == {"fuzzy"} and fuzzy["msgstr"] == 'A "quoted"'


def test_the_catalogue_is_substantial_and_has_no_untranslated_or_fuzzy_entry(catalogue):
    assert len(catalogue) > 1000
    untranslated = [e["msgid"] for e in catalogue if not all(t.strip() for t in _translations(e))]
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]]
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy (ignored at compile), e.g. {fuzzy[:5]}"


def test_the_catalogue_holds_every_string_of_the_source(tmp_path):
    """The catalogue kept up with the code: ``gongxin makemessages`` run over a copy of the
    package (so the committed catalogue is untouched) finds no msgid that is new, untranslated
    or fuzzy. When this fails, run ``gongxin makemessages -l en --no-obsolete`` in
    src/gongxin, translate what it added and compile the .mo."""
    import os
    import shutil
    import subprocess
    import sys

    package = Path(gongxin.__file__).resolve().parent
    copy = tmp_path / "gongxin"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGXIN_DATA", "DATABASE_URL"))}
    env.update(GONGXIN_LEDGER_ORIGIN="test.gongxin.example/ledger", GONGXIN_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "gongxin", "makemessages", "-l", "en", "--no-obsolete"],
                          cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    fresh = [e for e in parse_po((copy / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
             if e["msgid"]]
    missing = [e["msgid"] for e in fresh if "fuzzy" in e["flags"] or not all(t.strip() for t in _translations(e))]
    assert missing == [], f"{len(missing)} strings of the source have no English yet, e.g. {missing[:5]}"


def test_every_translation_keeps_the_placeholders_of_its_msgid(catalogue):
    broken = []
    for entry in catalogue:
        for text in _translations(entry):
            wanted = collections.Counter(PLACEHOLDER.findall(entry["msgid"]))
            got = collections.Counter(PLACEHOLDER.findall(text))
            plural_may_drop_count = "msgid_plural" in entry and set(got) == set(wanted)
            if got != wanted and not plural_may_drop_count:
                broken.append((entry["msgid"], text))
    assert broken == []


def test_python_format_translations_actually_format(catalogue):
    for entry in catalogue:
        if "python-format" not in entry["flags"]:
            continue
        names = re.findall(r"%\(([^)]+)\)(?:\.\d+)?([sdf])", entry["msgid"])
        values = {name: (3 if kind in "df" else "X") for name, kind in names}
        for text in _translations(entry):
            assert text % values  # no stray % that would raise at run time


def test_translations_are_english(catalogue):
    # Only literal column headers of the Excel import and a name example stay in Chinese, and,
    # in quotation marks, the words a user must type or a file must hold as they are (the
    # import's column headers and score marks, the LRMX sex and degree endings, a yes/no value).
    allowed = {"姓名", "身份证号", "张三"}
    typed = {"单位名称", "准考证号", "成绩", "缺考", "取消资格", "退役士兵", "男", "女", "学士", "硕士", "博士", "是", "否"}
    literal = "|".join(allowed) + "|" + "|".join(f"“{word}”" for word in typed)
    leftovers = [
        (e["msgid"], t)
        for e in catalogue
        for t in _translations(e)
        if CJK.search(re.sub(literal, "", t))
    ]
    assert leftovers == []


GLOSSARY = {  # Chinese term in the msgid → the English word its translation must use
    "账本": "ledger",
    "检查点": "checkpoint",
    "干部名册": "cadre roster",
    "任免审批表": "appointment form",
    "后备干部": "reserve cadre",
    "民主测评": "evaluation vote",
    "凡提四必": "four checks",
    "问题档案": "problem file",
    "实绩备案": "performance record",
    "重点工程": "key project",
    "考察组": "inspection team",
    "全程纪实": "dossier",
    "任前公示": "publicity",
    "公示期": "publicity period",
    "破格": "exception",
    "回避": "recus",
    "自荐": "self-nomination",
    "投票码": "voting code",
    "回执码": "receipt code",
    "查询码": "query code",
    "计票人": "teller",
    "试用期": "probation",
    "讨论决定会议": "decision meeting",
}


def test_domain_terms_use_the_glossary_words(catalogue):
    drift = [
        (term, e["msgid"], t)
        for e in catalogue
        for t in _translations(e)
        for term, word in GLOSSARY.items()
        if term in e["msgid"] and word not in t.lower()
    ]
    assert drift == []


def test_joint_review_is_always_joint_review_or_a_review_department(catalogue):
    for entry in catalogue:
        if "联审" in entry["msgid"]:
            for text in _translations(entry):
                assert "joint review" in text.lower() or "review department" in text.lower(), text


def test_grades_use_the_glossary_words(catalogue):
    by_id = {e["msgid"]: e["msgstr"] for e in catalogue if "msgstr" in e}
    assert by_id["优秀"] == "Excellent"
    assert by_id["称职"] == "Competent"
    assert by_id["基本称职"] == "Basically competent"
    assert by_id["不称职"] == "Incompetent"
    assert by_id["等次"] == "Grade"
    assert by_id["干部名册"] == "Cadre roster"


def test_the_committed_mo_matches_the_po(catalogue):
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue:
        if "msgid_plural" in entry:
            assert (
                compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
                == entry["msgstr_plural"][0]
            )
            assert (
                compiled.ngettext(entry["msgid"], entry["msgid_plural"], 5)
                == entry["msgstr_plural"][1]
            )
        elif "msgctxt" in entry:
            assert compiled.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


# ---------------------------------------------------------------- pages in English


def _english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_the_login_page_switches_to_english_and_back():
    client = Client()
    assert "登录" in client.get("/accounts/login/").content.decode()
    page = _english(client).get("/accounts/login/").content.decode()
    assert "Log in" in page and "Public information" in page
    assert "登录" not in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "登录" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_a_wrong_password_is_explained_in_english(cast):
    client = _english(Client())
    response = client.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    assert "Incorrect username or password" in response.content.decode()


@pytest.mark.django_db
def test_the_cadre_roster_is_in_english(cast, client_for):
    client = _english(client_for(cast["users"]["org_admin"]))
    response = client.get("/people/cadres/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Cadre roster</h1>" in page and "<title>Cadre roster" in page
    assert 'lang="en"' in page
    assert "New cadre" in page and "Export to Excel" in page
    assert "张三" in page  # data stays as entered; only the interface is translated


@pytest.mark.django_db
def test_the_home_page_is_in_english(cast, client_for):
    client = _english(client_for(cast["users"]["org_admin"]))
    page = client.get("/").content.decode()
    assert "Welcome, " in page and "Workbench" in page
    assert "Selection cases" in page and "Recommendation meetings" in page  # menu labels marked _()


@pytest.mark.django_db
def test_every_menu_label_is_in_english(cast, client_for):
    client = _english(client_for(cast["users"]["org_admin"]))
    page = client.get("/").content.decode()
    menu = page.split('aria-label="Main menu"', 1)[1].split("</nav>", 1)[0]
    assert "Cadre roster" in menu and "Accounts" in menu and "Ledger" in menu
    assert CJK.search(menu) is None, menu
    assert "Log out" in page and "Withdrawn" not in page


@pytest.mark.django_db
def test_chinese_stays_the_default(cast, client_for):
    page = client_for(cast["users"]["org_admin"]).get("/people/cadres/").content.decode()
    assert "干部名册" in page and "Cadre roster" not in page
