import datetime as dt

from ninja import Schema


class Error(Schema):
    code: str
    message: str
    details: dict = {}


class CaseIn(Schema):
    title: str
    org_unit_id: int
    post_ids: list[int]
    channels: list[str]
    motion_reason: str = ""
    motion_date: dt.date | None = None
    over_headcount_reason: str = ""


class CaseRow(Schema):
    id: int
    title: str
    org_unit: str
    stage: str
    stage_label: str
    status: str
    rule_set_version: int
    motion_date: dt.date


class CheckOut(Schema):
    code: str
    item: str
    name: str
    outcome: str
    reason: str
    source: str


class CandidateOut(Schema):
    id: int
    case_id: int
    cadre_id: int
    name: str
    channel: str
    status: str
    status_reason: str
    post_id: int | None
    evidence: dict
    eligibility_passed: bool | None
    eligibility: list[CheckOut]


class CaseOut(CaseRow):
    status_reason: str
    motion_reason: str
    channels: list[str]
    posts: list[dict]
    next_stage: str | None
    blockers: list[str]
    candidates: list[CandidateOut]


class AdvanceIn(Schema):
    to_stage: str


class ReasonIn(Schema):
    reason: str


class CandidateIn(Schema):
    cadre_id: int
    channel: str
    post_id: int | None = None
    evidence: dict = {}


class ExceptionIn(Schema):
    reason: str
    approval: str


class RuleOut(Schema):
    id: int
    code: str
    variant: str
    name: str
    parameters: dict
    regulation: str
    article: str
    source_text: str


class RuleSetOut(Schema):
    id: int
    jurisdiction: str
    version: int
    effective_from: dt.date
    frozen: bool
    note: str
    rules: list[RuleOut]


class RuleEditIn(Schema):
    parameters: dict
    note: str
    effective_from: dt.date | None = None
    name: str | None = None
    regulation: str | None = None
    article: str | None = None
    source_text: str | None = None


class MemberIn(Schema):
    name: str = ""
    user_id: int | None = None
    cadre_id: int | None = None


class MeetingIn(Schema):
    title: str
    held_on: dt.date | None = None
    place: str = ""
    mode: str = "open"
    members: list[MemberIn]


class AttendanceIn(Schema):
    present: list[int]
    absence_reasons: dict[int, str] = {}  # member id → reason (a non-numeric key is a 422)


class VotesIn(Schema):
    candidate_id: int
    choices: dict[int, str] = {}  # member id → agree / disagree / defer
    agree: int | None = None
    disagree: int | None = None
    defer: int | None = None


class MeetingOut(Schema):
    id: int
    case_id: int
    title: str
    held_on: dt.date
    mode: str
    status: str
    members: list[dict]
    tally: dict | None
    result: dict


class NoticeIn(Schema):
    post_id: int
    qualifications: str
    deadline: dt.date
    documents: str = ""
    requirements: dict = {}


class NoticeOut(Schema):
    id: int
    case_id: int
    post: str
    qualifications: str
    requirements: dict
    documents: str
    deadline: dt.date
    status: str


class ApplyIn(Schema):
    statement: str = ""


class ApplicationOut(Schema):
    id: int
    notice_id: int
    cadre_id: int
    status: str
    reason: str
    eligibility_passed: bool | None
    eligibility: list[CheckOut]


class DossierEntryOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    kind: str
    label: str
    stage: str
    summary: str
