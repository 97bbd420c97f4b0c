"""Every write of a recommendation meeting. Atomic, keyword-only, the acting user first,
one ledger event per state change.

Two deliberate exceptions to "one event per state change", both for ballot secrecy: a cast
ballot and a teller's keyed entry record NO event (an event per ballot would carry its time and
order). The ledger gets what the public may check instead: the rules, the seed's hash and the
sealed box's public key with k and n when the meeting opens, check-in counts, the tally and the
hash of the shuffled ballot list at close, the revealed seed and slates, and the published
files' hashes.

Ballots are sealed (``sealing``, ``opening``): while the meeting is open each one is stored
encrypted to a key only the tellers hold, split k of n; ``close_meeting`` takes k shares."""

import json
import secrets
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongxin.core.errors import Conflict, DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event
from gongxin.people.models import Cadre

from . import codes as codes_mod
from . import ingest, integration, opening, rating, sealing, tally, workflow
from .models import (
    Ballot,
    BallotCode,
    CheckIn,
    CodeStatus,
    Elector,
    Meeting,
    MeetingCandidate,
    MeetingMode,
    MeetingPost,
    MeetingResult,
    MeetingStatus,
    TellerEntry,
)
from .permissions import unit_in_scope

MAX_CODES_PER_BATCH = 5000
MAX_KEY_SHARES = 9
BALLOT_FILE_FORMAT = "gongxin-ballots/1"


# ---- helpers ------------------------------------------------------------------------------

def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("org_unit", "scope_unit").get(pk=meeting.pk)


def _lock_shared(meeting_id: int) -> str | None:
    """Block close while a vote is being recorded, without serialising the votes themselves
    (FOR SHARE on PostgreSQL; SQLite serialises writers anyway)."""
    table = Meeting._meta.db_table
    suffix = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {table} WHERE id = %s{suffix}", [meeting_id])
        row = cursor.fetchone()
    return row[0] if row else None


def _require(meeting: Meeting, action: str) -> None:
    if meeting.status not in workflow.ALLOWED[action]:
        messages = {
            MeetingStatus.DRAFT: _("会议还在筹备中，尚未开始投票。"),
            MeetingStatus.OPEN: _("会议正在投票，不能进行这项操作。"),
            MeetingStatus.CLOSED: _("会议已经结束投票，不能进行这项操作。"),
            MeetingStatus.PUBLISHED: _("会议结果已经公布，不能再修改。"),
        }
        raise Conflict(f"meeting.not_{'open' if action in ('cast', 'paper', 'close', 'spoil_code') else 'allowed'}",
                       messages[meeting.status], {"status": meeting.status, "action": action})


def _require_scope(user, unit) -> None:
    if not unit_in_scope(user, unit):
        raise DomainError("meeting.unit_out_of_scope", _("该单位不在您的管理范围内。"), status=403)


def posts_of(meeting: Meeting) -> list[MeetingPost]:
    return list(meeting.posts.select_related("post", "subject").order_by("position"))


def specs_of(posts: Sequence[MeetingPost]) -> list[tally.PostSpec]:
    return [tally.PostSpec(key=p.key, title=p.title, k=p.k) for p in posts]


def default_rules(case=None) -> dict:
    """A new meeting's rules: R7 (turnout) and R7/dispersion (threshold, margin, slate ratio)
    from the rule set the case froze at its motion (DOMAIN §3.1), or the one in force for a
    meeting without a case, over the DOMAIN §3.1 defaults where no rule set exists yet."""
    rules = tally.Rules().to_dict()
    try:
        from gongxin.cases.rules import rule_params
    except ImportError:  # the cases app is not installed: the documented defaults stand
        return rules
    for variant in (None, "dispersion"):
        try:
            params = rule_params("R7", variant=variant, case=case)
        except DomainError as exc:
            if exc.code not in ("rules.none_in_force", "rules.missing"):
                raise
            continue
        rules.update({k: v for k, v in params.items() if k in rules})
    return _clean_rules(rules)


def rules_of(meeting: Meeting) -> tally.Rules:
    return tally.Rules.from_dict(rating.split_rules(meeting.rules)[0] if meeting.rules else default_rules(meeting.case))


def rating_rules_of(meeting: Meeting) -> rating.RatingRules:
    return rating.RatingRules.from_dict(rating.split_rules(meeting.rules)[1])


def _clean_rules(data: dict) -> dict:
    """The meeting rules checked and written canonically; a rating meeting's flag rule
    (``rating.RULE_KEYS``) is kept beside them."""
    try:
        base, flags = rating.split_rules(data)
        out = tally.Rules.from_dict(base).to_dict()
        if flags:
            out.update(rating.RatingRules.from_dict(flags).to_dict())
        return out
    except (ValueError, ZeroDivisionError) as exc:
        raise DomainError("meeting.bad_rules", _("规则填写有误：%(error)s。比例请写成 2/3 或 0.5 这样的形式。") % {"error": exc},
                          {"fields": {"rules": [str(exc)]}}) from exc


def allowed_of(meeting: Meeting, posts: Sequence[MeetingPost]) -> dict[str, set[str]] | None:
    if meeting.mode == MeetingMode.RATING:
        return {p.key: {o["key"] for o in p.options} for p in posts}
    if meeting.mode != MeetingMode.LIST:
        return None
    allowed: dict[str, set[str]] = {p.key: set() for p in posts}
    by_pk = {p.pk: p.key for p in posts}
    for post_id, cadre_id in MeetingCandidate.objects.filter(meeting_post__meeting=meeting).values_list(
            "meeting_post_id", "cadre_id"):
        allowed[by_pk[post_id]].add(str(cadre_id))
    return allowed


# ---- draft: the meeting, its posts, candidates and electorate -----------------------------

@transaction.atomic
def create_meeting(*, acting_user, title: str, org_unit, mode: str = MeetingMode.OPEN, meeting_date=None,
                   location: str = "", case=None, scope_unit=None, rules: dict | None = None) -> Meeting:
    _require_scope(acting_user, org_unit)
    meeting = Meeting(title=title, org_unit=org_unit, mode=mode, location=location, case=case,
                      scope_unit=scope_unit, rules=_clean_rules(rules if rules is not None else default_rules(case)),
                      created_by=acting_user if getattr(acting_user, "pk", None) else None)
    if meeting_date is not None:
        meeting.meeting_date = meeting_date
    full_clean_or_raise(meeting)
    meeting.save()
    record_event(kind="meetings.meeting.created", subject=meeting, actor=acting_user,
                 payload={"title": title, "org_unit": org_unit.pk, "mode": mode, "case": case.pk if case else None,
                          "meeting_date": meeting.meeting_date, "rules": meeting.rules})
    return meeting


@transaction.atomic
def update_meeting(*, acting_user, meeting: Meeting, **data) -> Meeting:
    meeting = _lock(meeting)
    _require(meeting, "edit")
    if "rules" in data:
        data["rules"] = _clean_rules(data["rules"])
    if data.get("org_unit") is not None:
        _require_scope(acting_user, data["org_unit"])
    changes = {}
    for field, value in data.items():
        old = getattr(meeting, field)
        if getattr(old, "pk", old) != getattr(value, "pk", value):
            changes[field] = getattr(value, "pk", value)
            setattr(meeting, field, value)
    if not changes:
        return meeting
    full_clean_or_raise(meeting)
    meeting.save()
    record_event(kind="meetings.meeting.updated", subject=meeting, actor=acting_user, payload=changes)
    return meeting


def clean_options(options) -> list[dict]:
    """A rating item's options (``rating.options_from``), or a clear refusal."""
    try:
        return [o.as_dict() for o in rating.options_from(options)]
    except ValueError as exc:
        raise DomainError("meeting.bad_options", _("评价等次填写有误：%(error)s。每项至少两个等次，名称不能重复。") % {
            "error": exc}, {"fields": {"options": [str(exc)]}}) from exc


@transaction.atomic
def add_post(*, acting_user, meeting: Meeting, title: str = "", post=None, k: int = 1, options=None,
             subject: Cadre | None = None) -> MeetingPost:
    """A post on a recommendation ballot, or an item on a rating ballot (``options``: the
    levels a voter chooses one of; ``subject``: the cadre it rates, if any)."""
    meeting = _lock(meeting)
    _require(meeting, "edit")
    if not title and post is not None:
        title = str(post)
    if not title and subject is not None:
        title = subject.name
    if meeting.mode == MeetingMode.RATING:
        options, k = clean_options(options), 1
    elif options or subject is not None:
        raise DomainError("meeting.not_rating", _("只有评议会议的选票项目才设评价等次和评议对象。"))
    last = meeting.posts.order_by("-position").values_list("position", flat=True).first()
    mp = MeetingPost(meeting=meeting, post=post, title=title, k=k, position=0 if last is None else last + 1,
                     options=options or [], subject=subject)
    full_clean_or_raise(mp)
    if k < 1:
        raise DomainError("meeting.bad_k", _("每个职位可推荐人数至少为 1。"))
    mp.save()
    payload = {"key": mp.key, "title": title, "k": k, "post": post.pk if post else None}
    if meeting.mode == MeetingMode.RATING:
        payload.update(options=mp.options, subject=subject.pk if subject else None)
    record_event(kind="meetings.post.added", subject=meeting, actor=acting_user, payload=payload)
    return mp


@transaction.atomic
def remove_post(*, acting_user, meeting_post: MeetingPost) -> None:
    meeting = _lock(meeting_post.meeting)
    _require(meeting, "edit")
    payload = {"key": meeting_post.key, "title": meeting_post.title}
    meeting_post.delete()
    # keep positions dense so ballot parts stay in order
    for i, mp in enumerate(meeting.posts.order_by("position")):
        if mp.position != i:
            MeetingPost.objects.filter(pk=mp.pk).update(position=i + 10000)
            MeetingPost.objects.filter(pk=mp.pk).update(position=i)
    record_event(kind="meetings.post.removed", subject=meeting, actor=acting_user, payload=payload)


@transaction.atomic
def add_list_candidate(*, acting_user, meeting_post: MeetingPost, cadre: Cadre) -> MeetingCandidate:
    meeting = _lock(meeting_post.meeting)
    _require(meeting, "edit")
    if meeting.mode != MeetingMode.LIST:
        raise DomainError("meeting.not_list_mode", _("海选会议不设候选人名单，投票人可推荐任何符合条件的干部。"))
    problems = integration.write_in_problems(cadre, meeting_post)
    if problems:
        raise DomainError("meeting.candidate_ineligible", problems[0], {"problems": problems})
    if MeetingCandidate.objects.filter(meeting_post=meeting_post, cadre=cadre).exists():
        raise DomainError("meeting.candidate_duplicate", _("%(name)s 已在该职位的候选人名单中。") % {"name": cadre.name})
    candidate = MeetingCandidate.objects.create(meeting_post=meeting_post, cadre=cadre)
    record_event(kind="meetings.candidate.added", subject=meeting, actor=acting_user,
                 payload={"post": meeting_post.key, "cadre": cadre.pk, "name": cadre.name})
    return candidate


@transaction.atomic
def remove_list_candidate(*, acting_user, candidate: MeetingCandidate) -> None:
    meeting = _lock(candidate.meeting_post.meeting)
    _require(meeting, "edit")
    payload = {"post": candidate.meeting_post.key, "cadre": candidate.cadre_id}
    candidate.delete()
    record_event(kind="meetings.candidate.removed", subject=meeting, actor=acting_user, payload=payload)


@transaction.atomic
def add_electors(*, acting_user, meeting: Meeting, cadres: Sequence[Cadre]) -> int:
    meeting = _lock(meeting)
    _require(meeting, "edit")
    existing = set(meeting.electors.values_list("cadre_id", flat=True))
    new = []
    for cadre in cadres:
        if cadre.pk not in existing:
            existing.add(cadre.pk)
            new.append(Elector(meeting=meeting, cadre=cadre))
    Elector.objects.bulk_create(new)
    if new:
        record_event(kind="meetings.electorate.changed", subject=meeting, actor=acting_user,
                     payload={"added": [e.cadre_id for e in new], "expected": len(existing)})
    return len(new)


@transaction.atomic
def remove_elector(*, acting_user, elector: Elector) -> None:
    meeting = _lock(elector.meeting)
    _require(meeting, "edit")
    cadre_id = elector.cadre_id
    elector.delete()
    record_event(kind="meetings.electorate.changed", subject=meeting, actor=acting_user,
                 payload={"removed": [cadre_id], "expected": meeting.electors.count()})


HEADER_NAME = {"姓名", "name"}
HEADER_ID = {"身份证号", "身份证号码", "公民身份号码", "id_number"}
MAX_ELECTOR_ROWS = 10_000   # far above any electorate; a bigger file is a mistake, refused at once
_LOOKUP_BATCH = 900         # SQLite's limit on parameters, with room


def read_elector_sheet(file, cadres_qs) -> tuple[list[Cadre], list[str]]:
    """Rows of an Excel sheet (header row with 姓名 and, better, 身份证号) → cadres, errors.
    Reads only: cadres are looked up in batches, and a sheet of more than MAX_ELECTOR_ROWS
    rows is refused before it is read to the end."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:
        raise DomainError("meeting.bad_file", _("无法读取该文件，请上传 Excel（.xlsx）文件。")) from exc
    ws = wb.active
    rows = ws.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, [])]
    name_col = next((i for i, h in enumerate(header) if h in HEADER_NAME), None)
    id_col = next((i for i, h in enumerate(header) if h in HEADER_ID), None)
    if name_col is None and id_col is None:
        raise DomainError("meeting.bad_file", _("第一行应是表头，并包含“姓名”或“身份证号”列。"))
    wanted = []   # (row number, name, id number)
    for n, row in enumerate(rows, start=2):
        name = str(row[name_col]).strip() if name_col is not None and len(row) > name_col and row[name_col] is not None else ""
        id_number = (str(row[id_col]).strip().upper()
                     if id_col is not None and len(row) > id_col and row[id_col] is not None else "")
        if not name and not id_number:
            continue
        if len(wanted) >= MAX_ELECTOR_ROWS:
            raise DomainError("meeting.import_too_large", _(
                "一次最多导入 %(max)d 名应到人员，这个文件超过了这个数目。请检查是否选错了文件，或拆分后分批导入。") % {
                "max": MAX_ELECTOR_ROWS}, {"max_rows": MAX_ELECTOR_ROWS})
        wanted.append((n, name, id_number))
    by_id: dict[str, list[Cadre]] = defaultdict(list)
    by_name: dict[str, list[Cadre]] = defaultdict(list)
    ids = sorted({i for _n, _name, i in wanted if i})
    names = sorted({name for _n, name, i in wanted if not i})
    for start in range(0, len(ids), _LOOKUP_BATCH):
        for cadre in cadres_qs.filter(id_number__in=ids[start:start + _LOOKUP_BATCH]):
            by_id[cadre.id_number].append(cadre)
    for start in range(0, len(names), _LOOKUP_BATCH):
        for cadre in cadres_qs.filter(name__in=names[start:start + _LOOKUP_BATCH]):
            by_name[cadre.name].append(cadre)
    found, errors = [], []
    for n, name, id_number in wanted:
        match = by_id[id_number] if id_number else by_name[name]
        if not match:
            errors.append(_("第 %(n)d 行：没有找到干部“%(who)s”（或不在您的管理范围内）。") % {"n": n, "who": name or id_number})
        elif len(match) > 1:
            errors.append(_("第 %(n)d 行：有多名干部叫“%(name)s”，请填写身份证号区分。") % {"n": n, "name": name})
        elif name and match[0].name != name:
            errors.append(_("第 %(n)d 行：身份证号对应的干部是 %(real)s，不是 %(name)s。") % {
                "n": n, "real": match[0].name, "name": name})
        else:
            found.append(match[0])
    return found, errors


def import_electors(*, acting_user, meeting: Meeting, file, cadres_qs) -> int:
    """All or nothing: any row in error and nothing is added (the errors list says what to fix).
    The sheet is read and checked outside any transaction (on SQLite a transaction holds the
    one write lock, and a vote must never wait behind staff work); only the insert of the
    checked rows, one short transaction, writes (``add_electors``)."""
    found, errors = read_elector_sheet(file, cadres_qs)
    if errors:
        raise DomainError("meeting.import_failed", _("导入未成功，请修改以下内容后重新上传："), {"errors": errors[:200]})
    return add_electors(acting_user=acting_user, meeting=meeting, cadres=found)


# ---- check-in and codes -------------------------------------------------------------------

@transaction.atomic
def check_in(*, acting_user, meeting: Meeting, electors: Sequence[Elector]) -> int:
    """Record who is present. Never linked to a code or a ballot; no time is kept."""
    meeting = _lock(meeting)
    _require(meeting, "check_in")
    done = set(CheckIn.objects.filter(elector__meeting=meeting).values_list("elector_id", flat=True))
    new = [CheckIn(elector=e) for e in electors if e.meeting_id == meeting.pk and e.pk not in done]
    CheckIn.objects.bulk_create(new)
    if new:
        record_event(kind="meetings.check_in.recorded", subject=meeting, actor=acting_user,
                     payload={"added": len(new), "present": len(done) + len(new),
                              "expected": meeting.electors.count()})
    return len(new)


@transaction.atomic
def undo_check_in(*, acting_user, elector: Elector) -> None:
    meeting = _lock(elector.meeting)
    _require(meeting, "check_in")
    deleted, _unused = CheckIn.objects.filter(elector=elector).delete()
    if deleted:
        record_event(kind="meetings.check_in.undone", subject=meeting, actor=acting_user,
                     payload={"present": CheckIn.objects.filter(elector__meeting=meeting).count()})


@transaction.atomic
def generate_codes(*, acting_user, meeting: Meeting, count: int) -> list[str]:
    """New one-time codes. Only their hashes are stored: print the returned codes now (the
    slips are shuffled before handing out; the system never learns who holds which)."""
    meeting = _lock(meeting)
    _require(meeting, "generate_codes")
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise DomainError("meeting.bad_code_count", _("每次可生成 1 至 %(max)d 个投票码。") % {"max": MAX_CODES_PER_BATCH})
    new = []
    while len(new) < count:
        code = codes_mod.new_code()
        new.append(code)
    BallotCode.objects.bulk_create([BallotCode(meeting=meeting, code_hash=codes_mod.code_hash(c),
                                               receipt=codes_mod.receipt_for(c)) for c in new])
    secrets.SystemRandom().shuffle(new)
    record_event(kind="meetings.codes.generated", subject=meeting, actor=acting_user,
                 payload={"count": count, "total": meeting.codes.count()})
    return new


@transaction.atomic
def spoil_code(*, acting_user, meeting: Meeting, code: str) -> None:
    """A slip returned unused and damaged (or misprinted): the code can no longer vote."""
    meeting = _lock(meeting)
    _require(meeting, "spoil_code")
    n = BallotCode.objects.filter(meeting=meeting, code_hash=codes_mod.code_hash(code),
                                  status=CodeStatus.UNUSED).update(status=CodeStatus.SPOILED)
    if n != 1:
        raise DomainError("meeting.code_not_spoilable", _("没有找到这个未使用的投票码，请核对。"))
    record_event(kind="meetings.code.spoiled", subject=meeting, actor=acting_user,
                 payload={"spoiled": meeting.codes.filter(status=CodeStatus.SPOILED).count()})


# ---- opening ------------------------------------------------------------------------------

def recusal_conflicts(meeting: Meeting) -> list[tuple[str, str, str]]:
    """(elector, candidate, reason) for list-mode candidates an elector must recuse from."""
    if meeting.mode != MeetingMode.LIST:
        return []
    candidates = [c.cadre for c in MeetingCandidate.objects.filter(meeting_post__meeting=meeting)
                  .select_related("cadre")]
    if not candidates:
        return []
    out = []
    for elector in meeting.electors.select_related("cadre"):
        for cand in candidates:
            if elector.cadre_id == cand.pk:
                continue
            reason = integration.recusal_reason(elector.cadre, cand)
            if reason:
                out.append((elector.cadre.name, cand.name, reason))
    return out


def open_blockers_for(meeting: Meeting) -> list[str]:
    posts = posts_of(meeting)
    by_post = defaultdict(int)
    for post_id in MeetingCandidate.objects.filter(meeting_post__meeting=meeting).values_list("meeting_post_id", flat=True):
        by_post[post_id] += 1
    return workflow.open_blockers(meeting, posts=posts, candidates_by_post=by_post,
                                  electors=meeting.electors.count(), recusals=recusal_conflicts(meeting))


class Opened(NamedTuple):
    meeting: Meeting
    seed: str
    key_shares: list[str]   # the tellers' shares of the box's key: shown once, never stored


@transaction.atomic
def open_meeting(*, acting_user, meeting: Meeting, seed: str = "", shares_needed: int = sealing.DEFAULT_K,
                 shares_total: int = sealing.DEFAULT_N) -> Opened:
    """Freeze the rules, commit to the tie-break seed's hash, seal the ballot box and start
    voting. Returns the seed and the key shares: both are shown once. Keep the seed sealed and
    enter it after the count; give one share to each teller: any ``shares_needed`` of the
    ``shares_total`` open the box at close, and nobody, the system included, can open it
    without them."""
    meeting = _lock(meeting)
    _require(meeting, "open")
    blockers = open_blockers_for(meeting)
    if blockers:
        raise DomainError("meeting.open_blocked", _("还不能开始投票："), {"blockers": blockers})
    seed = (seed or "").strip() or secrets.token_hex(16)
    if len(seed) < 16:
        raise DomainError("meeting.seed_too_short", _("随机种子至少 16 个字符；留空则由系统生成。"))
    if not 1 <= shares_needed <= shares_total <= MAX_KEY_SHARES:
        raise DomainError("meeting.bad_key_shares", _("密钥份额：总份数为 1 至 %(max)d，开箱所需份数不能超过总份数。") % {
            "max": MAX_KEY_SHARES}, {"fields": {"shares_needed": [], "shares_total": []}})
    posts = posts_of(meeting)
    private, public = sealing.new_keypair()
    shares = sealing.make_shares(public, private, shares_needed, shares_total)
    del private
    meeting.rules = _clean_rules({**rating.split_rules(meeting.rules)[1], **rules_of(meeting).to_dict()})
    meeting.seed_hash = tally.seed_hash(seed)
    meeting.status = MeetingStatus.OPEN
    meeting.seal_public_key = public.hex()
    meeting.seal_k, meeting.seal_n = shares_needed, shares_total
    meeting.seal_length = sealing.padded_length([p.k for p in posts])
    meeting.save(update_fields=["rules", "seed_hash", "status", "seal_public_key", "seal_k", "seal_n", "seal_length"])
    candidates = defaultdict(list)
    for c in MeetingCandidate.objects.filter(meeting_post__meeting=meeting).select_related("cadre", "meeting_post"):
        candidates[c.meeting_post.key].append({"id": c.cadre_id, "name": c.cadre.name})
    record_event(kind="meetings.meeting.opened", subject=meeting, actor=acting_user, public=True, payload={
        "title": meeting.title, "mode": meeting.mode, "meeting_date": meeting.meeting_date,
        "rules": meeting.rules, "seed_hash": meeting.seed_hash,
        "posts": [{"key": p.key, "title": p.title, "k": p.k, "post": p.post_id,
                   **({"options": p.options, "subject": p.subject_id} if meeting.is_rating else {})} for p in posts],
        "candidates": dict(candidates), "expected": meeting.electors.count(),
        "scope_unit": (meeting.scope_unit or meeting.org_unit).pk,
        "sealing": {"format": sealing.FORMAT, "public_key": meeting.seal_public_key, "k": shares_needed,
                    "n": shares_total, "padded_length": meeting.seal_length},
    })
    return Opened(meeting, seed, shares)


# ---- ballots ------------------------------------------------------------------------------

def _contents(meeting: Meeting, posts: Sequence[MeetingPost], selections, *, enforce_k: bool) -> str:
    """Selections (one list of cadre ids per post, in post order) → canonical ballot text,
    checking each name is on the list (list mode) or may be written in (open mode)."""
    if len(selections) != len(posts):
        raise DomainError("ballot.bad_shape", _("选票格式不正确，请重新填写。"))
    if meeting.mode == MeetingMode.RATING:
        return _rating_contents(posts, selections, require_all=enforce_k)
    parts = []
    all_ids = set()
    for post, picks in zip(posts, selections, strict=True):
        try:
            ids = sorted({int(x) for x in picks})
        except (TypeError, ValueError) as exc:
            raise DomainError("ballot.bad_shape", _("选票格式不正确，请重新填写。")) from exc
        if enforce_k and len(ids) > post.k:
            raise DomainError("ballot.too_many", _("“%(post)s”最多推荐 %(k)d 人，您选了 %(n)d 人，请减少后再提交。") % {
                "post": post.title, "k": post.k, "n": len(ids)}, {"post": post.key})
        parts.append(ids)
        all_ids.update(ids)
    if all_ids:
        if meeting.mode == MeetingMode.LIST:
            allowed = allowed_of(meeting, posts)
            for post, ids in zip(posts, parts, strict=True):
                if not {str(i) for i in ids} <= allowed[post.key]:
                    raise DomainError("ballot.not_candidate", _("“%(post)s”只能在候选人名单中推荐。") % {"post": post.title})
        else:
            cadres = {c.pk: c for c in Cadre.objects.filter(pk__in=all_ids).select_related("org_unit")}
            for post, ids in zip(posts, parts, strict=True):
                for i in ids:
                    cadre = cadres.get(i)
                    problems = [_("没有这名干部。")] if cadre is None else integration.write_in_problems(cadre, post)
                    if problems:
                        raise DomainError("ballot.ineligible", _("“%(post)s”：%(problem)s") % {
                            "post": post.title, "problem": problems[0]}, {"post": post.key, "cadre": i})
    return tally.encode_ballot(parts)


def _rating_contents(posts: Sequence[MeetingPost], selections, *, require_all: bool) -> str:
    """One option key per item. A phone ballot must answer every item with one of its options;
    a paper ballot is keyed as marked (a blank or doubly marked item is counted as such)."""
    parts = []
    for post, picks in zip(posts, selections, strict=True):
        keys = sorted({str(x) for x in (picks or [])})
        allowed = {o["key"] for o in post.options}
        if not set(keys) <= allowed:
            raise DomainError("ballot.not_option", _("“%(item)s”只能在所列的评价等次中选择。") % {"item": post.title},
                              {"post": post.key})
        if require_all and len(keys) != 1:
            raise DomainError("ballot.item_unanswered", _("请对“%(item)s”选择一个评价等次（只能选一个）。") % {
                "item": post.title}, {"post": post.key})
        parts.append(keys)
    return tally.encode_ballot(parts)


def meeting_for_code(code: str) -> Meeting:
    """The open meeting an unused code belongs to, or a clear refusal."""
    if not codes_mod.is_well_formed(code):
        raise DomainError("ballot.code_invalid", _("投票码应为 16 位字母和数字，请核对纸条后重新输入。"))
    row = BallotCode.objects.filter(code_hash=codes_mod.code_hash(code)).select_related("meeting").first()
    if row is None:
        raise DomainError("ballot.code_invalid", _("投票码不正确，请核对纸条上的字母和数字。"))
    if row.status == CodeStatus.USED:
        raise DomainError("ballot.code_used", _("此投票码已经投过票，每个投票码只能使用一次。"), status=409)
    if row.status == CodeStatus.SPOILED:
        raise DomainError("ballot.code_spoiled", _("此投票码已作废，请向工作人员领取新的选票。"), status=409)
    if row.meeting.status != MeetingStatus.OPEN:
        raise DomainError("ballot.meeting_not_open", _("该会议现在不在投票时间内。"), status=409)
    return row.meeting


@transaction.atomic
def cast_ballot(*, code: str, selections) -> str:
    """Record one electronic ballot, sealed (encrypted to the meeting's public key), and return
    its receipt code (derived from the code: nothing else is written). The code is spent with a
    conditional UPDATE (… WHERE status = 'unused'), so however many requests carry the same code
    at once, exactly one ballot is recorded. No ledger event (see the module docstring)."""
    meeting = meeting_for_code(code)
    if _lock_shared(meeting.pk) != MeetingStatus.OPEN:
        raise DomainError("ballot.meeting_not_open", _("该会议现在不在投票时间内。"), status=409)
    posts = posts_of(meeting)
    contents = _contents(meeting, posts, selections, enforce_k=True)
    box = _seal(meeting, contents)
    receipt = codes_mod.receipt_for(code)
    spent = BallotCode.objects.filter(meeting=meeting, code_hash=codes_mod.code_hash(code),
                                      status=CodeStatus.UNUSED).update(status=CodeStatus.USED, receipt=receipt)
    if spent != 1:
        raise DomainError("ballot.code_used", _("此投票码已经投过票，每个投票码只能使用一次。"), status=409)
    if box is not None:
        opening.store_box(meeting.pk, box)
    else:  # a meeting opened before the box was sealed
        Ballot.objects.create(meeting=meeting, contents=contents)
    return receipt


def _seal(meeting: Meeting, contents: str) -> bytes | None:
    if not meeting.is_sealed:
        return None
    return sealing.seal(bytes.fromhex(meeting.seal_public_key), contents, meeting.seal_length)


@transaction.atomic
def enter_paper_ballot(*, acting_user, meeting: Meeting, teller: int, pile_no: int, selections) -> TellerEntry:
    """One teller keys in the paper ballot at ``pile_no``. The two tellers must be different
    people; keying the same place again corrects it. Over-k parts are kept as written (the
    tally voids them)."""
    meeting = _lock(meeting)
    _require(meeting, "paper")
    if teller not in (1, 2):
        raise DomainError("teller.bad_slot", _("计票人只能是一号或二号。"))
    if pile_no < 1:
        raise DomainError("teller.bad_pile_no", _("选票序号从 1 开始。"))
    other = (TellerEntry.objects.filter(meeting=meeting, teller=3 - teller)
             .values_list("entered_by_id", flat=True).first())
    if acting_user is not None and other == acting_user.pk:
        raise DomainError("teller.same_person", _("两名计票人须由不同的人分别独立录入。"))
    mine = TellerEntry.objects.filter(meeting=meeting, teller=teller).exclude(entered_by=acting_user) \
        .values_list("entered_by_id", flat=True).first()
    if mine is not None:
        raise DomainError("teller.slot_taken", _("该计票人席位已由另一位工作人员录入。"))
    contents = _contents(meeting, posts_of(meeting), selections, enforce_k=False)
    box = _seal(meeting, contents)
    defaults = {"contents": "", "sealed": box} if box is not None else {"contents": contents, "sealed": None}
    entry, _created = TellerEntry.objects.update_or_create(
        meeting=meeting, teller=teller, pile_no=pile_no, defaults={**defaults, "entered_by": acting_user})
    return entry


def paper_comparison(meeting: Meeting, opener: sealing.Opener | None = None) -> dict[str, Any]:
    """The two tellers' entries side by side. While the box is sealed only their numbers can be
    compared (``sealed``: True, no mismatches known yet); at close, with the key, their
    contents are."""
    if meeting.is_sealed and opener is None:
        piles = {1: set(), 2: set()}
        for teller, pile_no in TellerEntry.objects.filter(meeting=meeting).values_list("teller", "pile_no"):
            piles[teller].add(pile_no)
        return {"teller1": len(piles[1]), "teller2": len(piles[2]), "mismatches": [], "sealed": True,
                "paired": len(piles[1] & piles[2]), "unpaired": sorted(piles[1] ^ piles[2]), "agreed": None}
    entries = opening.open_paper_entries(meeting.pk, opener)
    piles = sorted(set(entries[1]) | set(entries[2]))
    mismatches = [{"pile_no": p, "teller1": entries[1].get(p), "teller2": entries[2].get(p)}
                  for p in piles if entries[1].get(p) != entries[2].get(p)]
    return {"teller1": len(entries[1]), "teller2": len(entries[2]), "mismatches": mismatches, "sealed": False,
            "paired": len(set(entries[1]) & set(entries[2])), "unpaired": sorted(set(entries[1]) ^ set(entries[2])),
            "agreed": [entries[1][p] for p in piles if entries[1].get(p) == entries[2].get(p)]}


# ---- close, reveal, publish ---------------------------------------------------------------

def accounting_for(meeting: Meeting, *, slips_issued: int | None, paper_spoiled: int = 0,
                   paper_ballots: int = 0) -> tally.Accounting:
    present = CheckIn.objects.filter(elector__meeting=meeting).count()
    electronic = meeting.ballots.count() + opening.count_boxes(meeting.pk)
    spoiled_codes = meeting.codes.filter(status=CodeStatus.SPOILED).count()
    issued = present if slips_issued is None else slips_issued
    return tally.accounting(present=present, issued=issued, returned=electronic + paper_ballots,
                            spoiled=spoiled_codes + paper_spoiled)


SHARE_MESSAGES = {
    "format": _lazy("第 %(i)d 份密钥份额格式不对：应为“序号-”加 55 个字母和数字（如 2-ABCDE-…），请对照份额单重新输入。"),
    "check": _lazy("第 %(i)d 份密钥份额校验不符：可能抄错了字符，或不是本次会议的份额，请对照份额单核对。"),
    "duplicate": _lazy("第 %(i)d 份密钥份额与另一份序号相同而内容不同，请核对。"),
}
STILL_SEALED = _lazy("投票箱仍保持密封，选票没有任何改动，核对后可再次开箱。")


def _opener_from_shares(meeting: Meeting, shares: Sequence[str]) -> sealing.Opener | None:
    """The key rebuilt from the tellers' shares, checked against the box's public key; a clear
    refusal (and nothing changed) if a share is wrong or missing."""
    if not meeting.is_sealed:
        return None
    public = bytes.fromhex(meeting.seal_public_key)
    try:
        return sealing.Opener(sealing.key_from_shares(public, list(shares or []), meeting.seal_k))
    except sealing.ShareError as exc:
        message = SHARE_MESSAGES[exc.reason] % {"i": exc.index + 1}
        code, details = f"meeting.key_share_{exc.reason}", {"share": exc.index + 1}
    except ValueError as exc:
        if str(exc) == "too_few":
            given = sum(1 for t in shares or [] if (t or "").strip())
            message = _("开箱需要至少 %(k)d 份密钥份额（共 %(n)d 份），现在只输入了 %(given)d 份。") % {
                "k": meeting.seal_k, "n": meeting.seal_n, "given": given}
            code, details = "meeting.key_shares_missing", {"k": meeting.seal_k, "given": given}
        else:
            message = _("这几份密钥份额合成的密钥打不开本次会议的投票箱，请对照份额单核对。")
            code, details = "meeting.key_shares_wrong", {}
    raise DomainError(code, f"{message}{STILL_SEALED}", {**details, "fields": {"__all__": [message]}})


@transaction.atomic
def close_meeting(*, acting_user, meeting: Meeting, key_shares: Sequence[str] = (), slips_issued: int | None = None,
                  paper_spoiled: int = 0) -> MeetingResult:
    """Stop voting and open the sealed box with the tellers' key shares: check the shares and
    the accounting equation, open every sealed ballot in memory and check their number against
    the codes used, shuffle them and write them afresh under new random ids (so storage order
    says nothing about the order of casting), delete the sealed ones, rewrite codes and
    receipts in a random order, count, and record the tally and the SHA-256 of the shuffled
    ballot list in the ledger. Storage is vacuumed after commit. Any refusal leaves the box
    sealed and everything as it was."""
    meeting = _lock(meeting)
    _require(meeting, "close")
    opener = _opener_from_shares(meeting, key_shares)
    try:
        paper = paper_comparison(meeting, opener)
    except sealing.SealError as exc:
        raise DomainError("meeting.box_unreadable", _("有纸质选票录入无法解密，请联系管理员核查。") + STILL_SEALED) from exc
    agreed = paper["agreed"] if not paper["mismatches"] else []
    acc = accounting_for(meeting, slips_issued=slips_issued, paper_spoiled=paper_spoiled,
                         paper_ballots=len(agreed))
    blockers = workflow.close_blockers(mismatches=len(paper["mismatches"]),
                                       paper_pending=paper["teller1"] != paper["teller2"],
                                       accounting=acc.as_dict())
    if paper["mismatches"]:
        blockers.append(_("不一致的选票序号：%(piles)s。") % {
            "piles": "、".join(str(m["pile_no"]) for m in paper["mismatches"])})
    if blockers:
        raise DomainError("meeting.close_blocked", _("还不能结束投票："),
                          {"blockers": blockers, "accounting": acc.as_dict(), "mismatches": paper["mismatches"]})
    boxes = opening.count_boxes(meeting.pk)
    used = meeting.codes.filter(status=CodeStatus.USED).count()
    plain = meeting.ballots.count()
    if boxes + plain != used:
        raise DomainError("meeting.box_count_mismatch", _(
            "投票箱中有 %(boxes)d 张选票，而已使用的投票码有 %(used)d 个，两者不符，请联系管理员核查。") % {
            "boxes": boxes + plain, "used": used} + STILL_SEALED)
    try:
        ballots, counted = opening.open_and_rewrite(meeting.pk, opener.private if opener else None, boxes=boxes,
                                                    extra=agreed)
    except sealing.SealError as exc:
        raise DomainError("meeting.box_unreadable", _("有密封选票无法用这把密钥打开，请联系管理员核查。") + STILL_SEALED) from exc
    opening.rewrite_codes_and_receipts(meeting.pk)
    posts = posts_of(meeting)
    rules = rules_of(meeting)
    expected = meeting.electors.count()
    res = tally.result(posts=specs_of(posts), ballots=ballots, rules=rules, expected=expected,
                       present=acc.present, allowed=allowed_of(meeting, posts), counted=counted)
    result = MeetingResult.objects.create(meeting=meeting, accounting=acc.as_dict(), tally=res,
                                          ballots_sha256=res["ballots_sha256"],
                                          ballot_list=tally.ballot_list_text(ballots))
    meeting.status = MeetingStatus.CLOSED
    meeting.slips_issued = acc.issued
    meeting.paper_spoiled = paper_spoiled
    meeting.save(update_fields=["status", "slips_issued", "paper_spoiled"])
    record_event(kind="meetings.meeting.closed", subject=meeting, actor=acting_user, public=True, payload={
        "accounting": acc.as_dict(), "electronic_ballots": len(ballots) - len(agreed), "paper_ballots": len(agreed),
        "sealed_ballots_opened": boxes,
        "ballots_sha256": res["ballots_sha256"], "tally": res,
    })
    opening.vacuum_after_commit()
    integration.checkpoint_after_commit(_("推荐会议结束：%(title)s") % {"title": meeting.title})
    return result


def stored_ballots(result: MeetingResult) -> list[str]:
    """The shuffled ballot list fixed at close (its hash is in the ledger)."""
    data = bytes(result.ballot_list or b"")
    if not data:
        return []
    return data.decode("utf-8").rstrip("\n").split("\n")


@transaction.atomic
def reveal_seed(*, acting_user, meeting: Meeting, seed: str) -> MeetingResult:
    """Check the seed against the hash committed at opening, then apply the dispersion rule
    (ties broken by the seed) and fix the slate of each post."""
    meeting = _lock(meeting)
    _require(meeting, "reveal")
    seed = (seed or "").strip()
    if not tally.check_seed(seed, meeting.seed_hash):
        raise DomainError("meeting.seed_mismatch", _("随机种子与投票前公布的哈希值不符，请核对密封保存的种子后重新输入。"))
    result = meeting.result
    posts = posts_of(meeting)
    ballots = stored_ballots(result)
    res = tally.result(posts=specs_of(posts), ballots=ballots, rules=rules_of(meeting),
                       expected=meeting.electors.count(), present=result.accounting["present"], seed=seed,
                       allowed=allowed_of(meeting, posts))
    if res["ballots_sha256"] != result.ballots_sha256:
        raise DomainError("meeting.ballots_changed", _("选票清单与结束投票时记录的哈希值不一致，请联系管理员核查。"))
    result.tally = res
    result.save(update_fields=["tally"])
    meeting.seed = seed
    meeting.save(update_fields=["seed"])
    record_event(kind="meetings.seed.revealed", subject=meeting, actor=acting_user, public=True, payload={
        "seed": seed, "seed_hash": meeting.seed_hash, "valid": res["valid"],
        "slates": {p["key"]: p.get("slate") for p in res["posts"]},
    })
    return result


def candidate_names(meeting: Meeting, res: dict) -> dict[str, str]:
    if meeting.is_rating:  # the votes are option keys, not cadres
        return {}
    ids = set()
    for post in res["posts"]:
        ids.update(int(c) for c in post["votes"])
    ids.update(MeetingCandidate.objects.filter(meeting_post__meeting=meeting).values_list("cadre_id", flat=True))
    return {str(pk): name for pk, name in Cadre.objects.filter(pk__in=ids).values_list("pk", "name")}


def ballot_file(meeting: Meeting, result: MeetingResult, posts: Sequence[MeetingPost]) -> bytes:
    """The published ballot file: everything ``python -m gongxin.recount`` needs, with the
    ballots in the shuffled order fixed at close and no codes or ids."""
    allowed = None if meeting.is_rating else allowed_of(meeting, posts)  # a rating item's options say it
    doc = {
        "format": BALLOT_FILE_FORMAT,
        "meeting": {"id": meeting.pk, "title": meeting.title, "date": meeting.meeting_date.isoformat(),
                    "mode": meeting.mode},
        "rules": meeting.rules,
        "posts": [_post_entry(p, meeting.is_rating) for p in posts],
        "candidates": candidate_names(meeting, result.tally),
        "allowed": {k: sorted(v, key=int) for k, v in allowed.items()} if allowed is not None else None,
        "expected": result.tally["turnout"]["expected"],
        "present": result.tally["turnout"]["present"],
        "seed": meeting.seed,
        "seed_hash": meeting.seed_hash,
        "ballots": stored_ballots(result),
    }
    return json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8")


def _post_entry(post: MeetingPost, is_rating: bool) -> dict:
    entry = {"key": post.key, "title": post.title, "k": post.k}
    if is_rating:
        entry["options"] = post.options
        entry["subject"] = post.subject.name if post.subject_id else None
    return entry


def receipts_file(meeting: Meeting) -> bytes:
    """The published receipt list, in a random order."""
    receipts = ingest.shuffled(list(meeting.receipts.values_list("code", flat=True)))
    return "".join(f"{codes_mod.display_receipt(r)}\n" for r in receipts).encode("ascii")


@transaction.atomic
def publish_results(*, acting_user, meeting: Meeting) -> MeetingResult:
    """Publish the results notice, the receipt codes list and the shuffled ballot file as
    separate files; send each nominee into the linked case's nomination."""
    import hashlib

    meeting = _lock(meeting)
    _require(meeting, "publish")
    if not meeting.seed and not meeting.is_rating:
        raise DomainError("meeting.seed_not_revealed", _("请先公开随机种子并确定提名人选，再公布结果。"))
    result = meeting.result
    posts = posts_of(meeting)
    names = candidate_names(meeting, result.tally)
    ballots = ballot_file(meeting, result, posts)
    receipts = receipts_file(meeting)
    result.notice = {"names": names}
    result.ballots_file = ballots
    result.receipts_file = receipts
    result.published_at = timezone.now()
    result.save(update_fields=["notice", "ballots_file", "receipts_file", "published_at"])
    meeting.status = MeetingStatus.PUBLISHED
    meeting.save(update_fields=["status"])
    nominees = []
    for post, entry in zip(posts, result.tally["posts"], strict=True):
        for cand in (entry.get("slate") or {}).get("nominees", []):
            nominees.append({"post": post.key, "post_title": post.title, "cadre": int(cand), "name": names.get(cand, cand),
                             "votes": entry["votes"][cand], "valid": entry["valid"], "share": entry["shares"][cand],
                             "competitive": entry["slate"]["competitive"]})
    record_event(kind="meetings.meeting.published", subject=meeting, actor=acting_user, public=True, payload={
        "ballots_file_sha256": hashlib.sha256(ballots).hexdigest(),
        "receipts_file_sha256": hashlib.sha256(receipts).hexdigest(),
        "ballots_sha256": result.ballots_sha256, "receipts": meeting.receipts.count(),
        "nominees": nominees, "valid": result.tally["valid"],
        # the shuffled list the ballot file publishes (no codes, no ids): the verifier recounts it
        "ballots": stored_ballots(result),
    })
    if meeting.case_id and result.tally["valid"]:
        _send_slate_to_case(acting_user=acting_user, meeting=meeting, posts=posts, nominees=nominees)
    integration.checkpoint_after_commit(_("公布推荐结果：%(title)s") % {"title": meeting.title})
    return result


def _send_slate_to_case(*, acting_user, meeting: Meeting, posts, nominees) -> None:
    case_post_ids = set(meeting.case.case_posts.values_list("post_id", flat=True))
    post_by_key = {p.key: p.post if p.post_id in case_post_ids else None for p in posts}
    cadres = Cadre.objects.in_bulk([n["cadre"] for n in nominees])
    seen = set()
    for n in nominees:
        if n["cadre"] in seen:
            continue
        seen.add(n["cadre"])
        evidence = {"meeting": meeting.pk, "meeting_title": meeting.title, "post": n["post_title"],
                    "votes": n["votes"], "valid_ballots": n["valid"], "share": n["share"],
                    "competitive": n["competitive"]}
        try:
            with transaction.atomic():
                integration.add_candidate_to_case(acting_user=acting_user, case=meeting.case,
                                                  cadre=cadres[n["cadre"]], post=post_by_key.get(n["post"]),
                                                  evidence=evidence)
        except DomainError as exc:
            if "duplicate" not in exc.code and "exists" not in exc.code:
                raise
