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
            cadre = people_actions.update_cadre(acting_user=acting_user, cadre=person.cadre, **fields)
            status = "updated"
        sync_resume(acting_user=acting_user, cadre=cadre, lines=lrmx.parse_resume(person.record["JianLi"]))
        sync_relations(acting_user=acting_user, cadre=cadre, items=person.record[lrmx.FAMILY])
        record_event(kind="exchange.lrmx.imported", subject=cadre, actor=acting_user,
                     payload={"file": person.filename, "sha256": person.sha256, "result": status,
                              "fields": [label for label, _o, _n in person.changes]})
        counts[status] += 1
    return counts
