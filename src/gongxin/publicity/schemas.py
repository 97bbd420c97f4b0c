import datetime as dt

from ninja import Schema


class Error(Schema):
    code: str
    message: str
    details: dict = {}


class EntryOut(Schema):
    id: int
    position: int
    name: str
    sex: str
    ethnicity: str
    birth: str
    political_status: str
    education: str
    work_started: str
    current_post: str
    proposed_post: str
    resume: str
    extra: str


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    org_unit: str
    status: str
    name_order: str
    period_start: dt.date | None
    period_end: dt.date | None
    working_days: int | None
    calendar_warnings: list[str]
    published_at: dt.datetime | None
    ledger_seq: int | None
    leaf_hash: str
    entries: list[EntryOut] = []


class NoticeStaffOut(NoticeOut):
    case_id: int | None
    blockers: list[str] = []
    open_feedback: int = 0


class TrackIn(Schema):
    code: str


class TrackOut(Schema):
    notice_id: int
    notice_title: str
    person: str | None
    category: str
    status: str
    status_label: str
    reply: str
    replied_at: dt.datetime | None
    received_at: dt.datetime


class FeedbackOut(Schema):
    id: int
    code: str
    notice_id: int
    entry_id: int | None
    person: str | None
    category: str
    text: str
    contact_name: str
    contact: str
    status: str
    assigned_to_id: int | None
    reply: str
    finding: str
    received_at: dt.datetime
    attachments: int


class ReplyIn(Schema):
    reply: str
    finding: str = ""
    resolve: bool = False


class PublishIn(Schema):
    start: dt.date | None = None
    deadline: dt.date | None = None


class AppointIn(Schema):
    cadre_id: int
    post_id: int
    start: dt.date
    notice_id: int | None = None
    document_number: str = ""
    probation: bool | None = None


class AppointmentOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    post_id: int
    post: str
    start: dt.date
    notice_id: int | None
    case_id: int | None
    document_number: str
    probation_status: str
    probation_end: dt.date | None
    decision: str


class DecisionIn(Schema):
    decision: str
    note: str
    extend_months: int = 6


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int
    days: list[dt.date]
    warnings: list[str]
    rule_source: str
