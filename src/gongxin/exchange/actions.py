"""Every write of the exchange app: importing people from LRMX files (and, in
excel_import.py's job, from a roster). Cadres are written through people's actions, which
record their own events; each imported person adds one ``exchange.*.imported`` event naming
the file it came from."""

from django.db import transaction
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.ledger.recording import record_event
from gongxin.people import actions as people_actions
from gongxin.people.models import Cadre, OrgUnit

from . import lrmx, people_map
from .lrmx_import import PersonPreview


def sync_resume(*, acting_user, cadre: Cadre, lines: list[tuple]) -> int:
    """Make the cadre's resume the given (start, end, description) lines; entries already
    there (with their kind and place) are kept. Returns how many rows changed."""
    existing = list(cadre.resume_entries.all())
    wanted = list(lines)
    changed = 0
    for entry in existing:
        key = (entry.start, entry.end, entry.description)
        if key in wanted:
            wanted.remove(key)
        else:
            people_actions.remove_resume_entry(acting_user=acting_user, entry=entry)
            changed += 1
    for start, end, description in wanted:
        kind = "study" if any(w in description for w in ("学习", "大学", "学院", "学校", "读")) else "work"
        people_actions.add_resume_entry(acting_user=acting_user, cadre=cadre, start=start, end=end,
                                        description=description[:300], kind=kind)
        changed += 1
    return changed


def sync_relations(*, acting_user, cadre: Cadre, items: list[dict]) -> int:
    def key(f):
        return (f["title"], f["name"], f["birth"], f["political_status"], f["work_unit_and_post"])

    wanted = [people_map.relation_fields(item) for item in items]
    wanted_keys = [key(f) for f in wanted]
    changed = 0
    for relation in list(cadre.relations.all()):
        k = (relation.title, relation.name, relation.birth, relation.political_status, relation.work_unit_and_post)
        if k in wanted_keys:
            i = wanted_keys.index(k)
            wanted_keys.pop(i)
            wanted.pop(i)
        else:
            people_actions.remove_relation(acting_user=acting_user, relation=relation)
            changed += 1
    order = cadre.relations.count()
    for f in wanted:
        order += 1
        people_actions.add_relation(acting_user=acting_user, cadre=cadre, sort_order=order, **f)
        changed += 1
    return changed


@transaction.atomic
def import_lrmx(*, acting_user, people: list[PersonPreview], org_unit: OrgUnit | None,
                confirmed: set[str] = frozenset()) -> dict:
    """Apply a preview: new people are created in ``org_unit``; updates applied; a conflict
    only when its ID number is in ``confirmed``; the same are left alone. All or nothing."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    for person in people:
        if person.status == "same" or person.blocked or (person.status == "conflict" and person.id_number not in confirmed):
            counts["unchanged" if person.status == "same" else "skipped"] += 1
            continue
        fields = people_map.record_to_fields(person.record)
        if person.cadre is None:
            if org_unit is None:
                raise DomainError("lrmx.unit_required", _("文件里有系统中没有的干部，请选择他们的工作单位。"),
                                  {"fields": {"org_unit": [_("请选择新干部的工作单位。")]}})
            cadre = people_actions.create_cadre(acting_user=acting_user, org_unit=org_unit, **fields)
            status = "created"
        else:
            # Rank and current post change only through appointment or a named, public correction
            # (issue 11): an exchange file that says otherwise corrects the record, citing the file.
            position = {k: fields.pop(k) for k in people_actions.POSITION_FIELDS if k in fields}
            cadre = people_actions.update_cadre(acting_user=acting_user, cadre=person.cadre, **fields)
            if any(getattr(cadre, k) != v for k, v in position.items()):
                cadre = people_actions.correct_position(
                    acting_user=acting_user, cadre=cadre, **position,
                    reason=_("依据任免审批表交换文件 %(file)s 导入") % {"file": person.filename})
            status = "updated"
        sync_resume(acting_user=acting_user, cadre=cadre, lines=lrmx.parse_resume(person.record["JianLi"]))
        sync_relations(acting_user=acting_user, cadre=cadre, items=person.record[lrmx.FAMILY])
        record_event(kind="exchange.lrmx.imported", subject=cadre, actor=acting_user,
                     payload={"file": person.filename, "sha256": person.sha256, "result": status,
                              "fields": [label for label, _o, _n in person.changes]})
        counts[status] += 1
    return counts


# ---- staged uploads (operational rows: the import job records the ledger events) ----------

def stage_upload(*, acting_user, kind: str, filename: str, data: bytes):
    from django.core.files.base import ContentFile

    from .excel_import import file_sha256
    from .models import StagedImport

    staged = StagedImport(kind=kind, owner=acting_user, filename=filename[:200], sha256=file_sha256(data))
    staged.file.save(f"{staged.sha256[:16]}-{kind}", ContentFile(data), save=False)
    staged.save()
    return staged


def set_mapping(*, acting_user, staged, mapping: dict) -> None:
    from .excel_rows import REQUIRED

    missing = [f for f in REQUIRED if mapping.get(f) is None]
    if missing:
        from .excel_rows import LABELS

        raise DomainError("excel.mapping_incomplete", _("请为这些项目选择列：%(names)s。") % {
            "names": "、".join(LABELS[f] for f in missing)})
    staged.mapping = mapping
    staged.save(update_fields=["mapping"])


def fix_row(*, acting_user, staged, number: int, values: dict) -> None:
    fixes = dict(staged.fixes)
    fixes[str(number)] = {**fixes.get(str(number), {}), **{k: v.strip() for k, v in values.items()}}
    staged.fixes = fixes
    staged.skipped = [n for n in staged.skipped if int(n) != number]
    staged.save(update_fields=["fixes", "skipped"])


def skip_row(*, acting_user, staged, number: int, skip: bool = True) -> None:
    skipped = {int(n) for n in staged.skipped}
    skipped.add(number) if skip else skipped.discard(number)
    staged.skipped = sorted(skipped)
    staged.save(update_fields=["skipped"])


@transaction.atomic
def start_excel_import(*, acting_user, staged):
    from gongxin.jobs.actions import start_job

    from .models import StagedImport

    staged = StagedImport.objects.select_for_update().get(pk=staged.pk)
    if staged.job_id and staged.job.status in ("queued", "running"):
        return staged.job  # a double submit: the job already running
    job = start_job(acting_user=acting_user, kind="exchange.excel_import",
                    title=_("导入干部名册 %(file)s") % {"file": staged.filename},
                    func="gongxin.exchange.excel_import.apply_job", params={"staged_id": staged.pk})
    staged.job = job
    staged.save(update_fields=["job"])
    return job
