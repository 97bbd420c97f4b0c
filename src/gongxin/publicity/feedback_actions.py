"""Public feedback on a notice: the tracking code, attachments checked by their first bytes,
assignment, replies, resolution and the transfer to the inspection app's problem files. Atomic,
keyword-only, the acting user first (None for a member of the public), one ledger event per
state change."""

import datetime as dt
import hashlib
import secrets
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event

from . import closing, integration
from .models import (
    Feedback,
    FeedbackAttachment,
    FeedbackStatus,
    Notice,
    NoticeEntry,
    NoticePhase,
)

CODE_LENGTH = 16  # base32: 80 bits, unguessable
ALLOWED_TYPES = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}
ALLOWED_EXTENSIONS = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3


def new_code() -> str:
    return b32encode(secrets.token_bytes(10)).decode()[:CODE_LENGTH]


def normalise_code(code: str) -> str:
    """What a person typed → the stored code: spaces and dashes dropped, upper case, and the
    digits base32 never uses read as the letters they look like (0→O, 1→I, 8→B)."""
    code = "".join(code.split()).replace("-", "").upper()[:32]
    return code.translate(str.maketrans({"0": "O", "1": "I", "8": "B"}))


def display_code(code: str) -> str:
    """"ABCD-EFGH-IJKL-MNOP": easier to copy down by hand."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def check_attachment(name: str, content_type: str, size: int, head: bytes) -> str:
    """The file's content type if it may be attached; DomainError otherwise. Checks the
    extension, the declared type and the first bytes, so a renamed script is refused."""
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = ALLOWED_EXTENSIONS.get(ext)
    if expected is None or not head.startswith(ALLOWED_TYPES[expected]):
        raise DomainError("feedback.attachment_type", _("附件只能是 PDF、JPG 或 PNG 文件：%(name)s") % {"name": name[:80]})
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainError("feedback.attachment_size", _("附件 %(name)s 超过 5 MB，请压缩后再上传。") % {"name": name[:80]})
    return expected


def hash_address(address: str | None) -> str:
    if not address:
        return ""

    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


@transaction.atomic
def submit_feedback(*, acting_user=None, notice: Notice, category: str, text: str, entry: NoticeEntry | None = None,
                    contact_name: str = "", contact: str = "", files=(), address: str | None = None,
                    received_at: dt.datetime | None = None) -> Feedback:
    """A member of the public's feedback. Returns it with its tracking code. ``received_at``
    is for feedback a clerk enters from a letter or a call (the day it arrived)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if not notice.takes_feedback:
        raise Conflict("feedback.notice_closed", _("该公告尚未发布，不能反馈。"))
    arrived = received_at or timezone.now()
    after_period = notice.phase(timezone.localdate(arrived)) == NoticePhase.ENDED
    if entry is not None and entry.notice_id != notice.pk:
        raise DomainError("feedback.entry_mismatch", _("所反映的人员不在该公告中。"))
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError("feedback.too_many_files", _("最多上传 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS})
    checked = []
    for f in files:
        f.seek(0)
        head = f.read(16)
        f.seek(0)
        checked.append((f, check_attachment(f.name, getattr(f, "content_type", ""), f.size, head)))
    feedback = Feedback(notice=notice, entry=entry, code=new_code(), category=category, text=text.strip(),
                        contact_name=contact_name.strip(), contact=contact.strip(), address_hash=hash_address(address),
                        received_at=arrived, after_period=after_period)
    full_clean_or_raise(feedback)
    feedback.save()
    for f, content_type in checked:
        digest = hashlib.sha256()
        for chunk in f.chunks():
            digest.update(chunk)
        f.seek(0)
        att = FeedbackAttachment(feedback=feedback, original_name=f.name[:200], content_type=content_type,
                                 size=f.size, sha256=digest.hexdigest())
        att.file.save(f"{feedback.code}-{len(checked)}{'.' + f.name.rsplit('.', 1)[-1].lower()}", f, save=False)
        att.save()
    # The content and the contact stay private: the ledger records that feedback came in.
    record_event(kind="publicity.feedback.received", subject=feedback, actor=acting_user,
                 payload={"notice": notice.pk, "entry": entry.pk if entry else None, "category": category,
                          "after_period": after_period,
                          "attachments": [a.sha256 for a in feedback.attachments.all()]})
    # Feedback about a person also becomes a problem file (inspection), where that exists;
    # it stays in this queue until the submitter has been answered.
    _intake(acting_user, feedback)
    return feedback


def _open_feedback(pk) -> Feedback:
    feedback = Feedback.objects.select_for_update(of=("self",)).select_related("notice", "entry").get(pk=pk)
    if feedback.status == FeedbackStatus.RESOLVED:
        raise Conflict("feedback.resolved", _("该反馈已办结。"))
    return feedback


@transaction.atomic
def assign_feedback(*, acting_user, feedback: Feedback, assignee) -> Feedback:
    feedback = _open_feedback(feedback.pk)
    if not assignee.has_capability("publicity.manage"):
        raise DomainError("feedback.assignee", _("承办人须有办理公示的权限。"))
    feedback.assigned_to = assignee
    if feedback.status == FeedbackStatus.RECEIVED:
        feedback.status = FeedbackStatus.IN_PROGRESS
    feedback.save(update_fields=["assigned_to", "status"])
    record_event(kind="publicity.feedback.assigned", subject=feedback, actor=acting_user,
                 payload={"assignee": assignee.pk})
    return feedback


@transaction.atomic
def reply_feedback(*, acting_user, feedback: Feedback, reply: str, finding: str = "",
                   resolve: bool = False) -> Feedback:
    """Write the reply the submitter reads by code; with ``resolve`` the item is closed."""
    feedback = _open_feedback(feedback.pk)
    reply = reply.strip()
    if not reply:
        raise DomainError("feedback.reply_empty", _("请填写答复内容。"), {"fields": {"reply": [_("请填写答复内容。")]}})
    feedback.reply = reply
    feedback.finding = finding.strip() or feedback.finding
    feedback.replied_at = timezone.now()
    if feedback.assigned_to_id is None and getattr(acting_user, "pk", None):
        feedback.assigned_to = acting_user
    if resolve:
        feedback.status = FeedbackStatus.RESOLVED
        feedback.resolved_at = feedback.replied_at
    elif feedback.status == FeedbackStatus.RECEIVED:
        feedback.status = FeedbackStatus.IN_PROGRESS
    full_clean_or_raise(feedback)
    feedback.save()
    record_event(kind="publicity.feedback.resolved" if resolve else "publicity.feedback.replied",
                 subject=feedback, actor=acting_user, payload={"status": feedback.status})
    if resolve:
        # The last open item of a notice past its period: the notice ends now (closing.py).
        closing.after_feedback_resolved(feedback.notice_id)
    return feedback


@transaction.atomic
def resolve_feedback(*, acting_user, feedback: Feedback, reply: str = "", finding: str = "") -> Feedback:
    current = Feedback.objects.get(pk=feedback.pk)
    return reply_feedback(acting_user=acting_user, feedback=current, reply=reply or current.reply,
                          finding=finding, resolve=True)


def _intake(acting_user, feedback: Feedback) -> bool:
    """Open a problem file in the inspection app for feedback about a person (savepoint: a
    refusal there leaves the feedback in this queue)."""
    intake = integration.problem_file_intake()
    if intake is None or feedback.entry is None or feedback.entry.cadre_id is None:
        return False
    try:
        with transaction.atomic():
            label = _("【公示期后来信】") if feedback.after_period else _("【任前公示反映】")
            problem = intake(acting_user=acting_user, cadre=feedback.entry.cadre,
                             text=_("%(label)s%(notice)s\n%(text)s") % {"label": label, "notice": feedback.notice.title,
                                                                      "text": feedback.text},
                             reference=f"publicity:{feedback.code}")
    except DomainError:
        return False
    feedback.problem_file_ref = str(getattr(problem, "pk", problem))
    feedback.status = FeedbackStatus.TRANSFERRED
    feedback.save(update_fields=["problem_file_ref", "status"])
    record_event(kind="publicity.feedback.transferred", subject=feedback, actor=acting_user,
                 payload={"problem_file": feedback.problem_file_ref})
    return True


@transaction.atomic
def transfer_feedback(*, acting_user, feedback: Feedback) -> Feedback:
    """Feedback about a person flows into the inspection app's problem files, when it has them."""
    feedback = _open_feedback(feedback.pk)
    if integration.problem_file_intake() is None:
        raise DomainError("feedback.no_intake", _("问题线索登记功能尚未启用，请在本队列中核查办理。"))
    if feedback.entry is None or feedback.entry.cadre_id is None:
        raise DomainError("feedback.no_person", _("只有针对具体人员的反馈才能转为问题档案。"))
    if feedback.problem_file_ref:
        raise Conflict("feedback.transferred", _("该反馈已转为问题档案。"))
    if not _intake(acting_user, feedback):
        raise DomainError("feedback.intake_refused", _("问题档案登记未成功，请在本队列中核查办理。"))
    return feedback
