"""Writing the plan: the bulk import and its one ledger event."""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.ledger.recording import record_event

from .. import actions
from ..models import (
    AnnualGrade,
    Cadre,
    OrgUnit,
    OrgUnitKind,
    Post,
    PostHolding,
    PostKind,
    Rank,
    Relation,
    ResumeEntry,
)
from ..names import search_keys
from . import data as D
from .common import TARGET_CADRES
from .digest import rows_digest
from .plan import plan

# ---- writing -----------------------------------------------------------------------------------

MAIN_KINDS = (OrgUnitKind.ORGAN, OrgUnitKind.DEPARTMENT, OrgUnitKind.INSTITUTION, OrgUnitKind.TOWNSHIP)


def build(ctx) -> None:
    if OrgUnit.objects.filter(name=D.COUNTY, parent__isnull=True).exists():
        raise DomainError("demo.already_built", _("演示县的数据已经存在；要重建请使用 gongxin demo --reset。"))
    rows = plan(ctx.seed, ctx.today, getattr(ctx, "cadres_wanted", TARGET_CADRES))
    with transaction.atomic():
        units, posts, cadres = _write(ctx, rows)
    ctx.built("people", f"{len(units)} 个单位、{len(posts)} 个职位、{len(cadres)} 名干部（含简历、家庭成员、年度考核）")
    _fill_context(ctx, rows, units, posts, cadres)


def _write(ctx, rows):
    ranks = {r.code: r for r in Rank.objects.all()}
    units: dict[str, OrgUnit] = {}
    # Main units (and the root) through the action: one event each, paths as the action sets them.
    for spec in rows["units"]:
        if spec["parent"] is None or (spec["kind"] in MAIN_KINDS and units[spec["parent"]].parent_id is None):
            parent = units[spec["parent"]] if spec["parent"] else None
            units[spec["name"]] = actions.create_org_unit(
                acting_user=None, name=spec["name"], kind=spec["kind"], parent=parent, short_name=spec["short_name"],
                is_grassroots=spec["is_grassroots"], is_remote=spec["is_remote"], sort_order=spec["sort_order"])
    # Sections and villages in bulk, then their paths (parent path + own id, as the action does).
    rest = [s for s in rows["units"] if s["name"] not in units]
    objs = OrgUnit.objects.bulk_create([
        OrgUnit(name=s["name"], kind=s["kind"], parent=units[s["parent"]], short_name=s["short_name"],
                is_grassroots=s["is_grassroots"], is_remote=s["is_remote"], sort_order=s["sort_order"],
                path="", depth=units[s["parent"]].depth + 1) for s in rest])
    for obj in objs:
        obj.path = f"{obj.parent.path}{obj.pk:05d}."
        units[obj.name] = obj
    OrgUnit.objects.bulk_update(objs, ["path"])

    post_objs = Post.objects.bulk_create([
        Post(org_unit=units[p["unit"]], title=p["title"], rank=ranks[p["rank"]], kind=p["kind"],
             headcount=p["headcount"]) for p in rows["posts"]])
    posts = {(p.org_unit.name, p.title): p for p in post_objs}

    cadre_objs = []
    for c in rows["cadres"]:
        data = {k: v for k, v in c.items() if k not in ("org_unit", "rank", "tier")}
        cadre = Cadre(**data, org_unit=units[c["org_unit"]], rank=ranks[c["rank"]] if c["rank"] else None)
        cadre.name_pinyin, cadre.name_initials = search_keys(cadre.name)
        cadre_objs.append(cadre)
    cadre_objs = Cadre.objects.bulk_create(cadre_objs, batch_size=500)
    pks = [c.pk for c in cadre_objs]
    unit_pk = {name: u.pk for name, u in units.items()}

    ResumeEntry.objects.bulk_create([
        ResumeEntry(cadre_id=pks[r["cadre"]], start=r["start"], end=r["end"], description=r["description"],
                    kind=r["kind"], place=r["place"], org_unit_id=unit_pk[r["org_unit"]] if r["org_unit"] else None,
                    is_grassroots=r["is_grassroots"]) for r in rows["resume"]], batch_size=1000)
    Relation.objects.bulk_create([
        Relation(cadre_id=pks[r["cadre"]], kind=r["kind"], title=r["title"], name=r["name"], birth=r["birth"],
                 political_status=r["political_status"], work_unit_and_post=r["work_unit_and_post"],
                 related_cadre_id=pks[r["related_cadre"]] if r["related_cadre"] is not None else None,
                 emigrated=r["emigrated"], sort_order=r["sort_order"]) for r in rows["relations"]], batch_size=1000)
    PostHolding.objects.bulk_create([
        PostHolding(cadre_id=pks[h["cadre"]], post_id=posts[(h["unit"], h["title"])].pk, start=h["start"], end=h["end"],
                    probation_end=h["probation_end"], note=h["note"]) for h in rows["holdings"]], batch_size=1000)
    AnnualGrade.objects.bulk_create([
        AnnualGrade(cadre_id=pks[g["cadre"]], year=g["year"], grade=g["grade"]) for g in rows["grades"]],
        batch_size=1000)

    counts = {"units": len(rest), "posts": len(post_objs), "cadres": len(cadre_objs), "resume_entries": len(rows["resume"]),
              "relations": len(rows["relations"]), "post_holdings": len(rows["holdings"]),
              "annual_grades": len(rows["grades"])}
    record_event(kind="people.demo.imported", subject=("people.import", f"demo-{ctx.seed}"), actor=ctx.admin,
                 payload={"source": "gongxin demo", "seed": str(ctx.seed), "today": ctx.today, "counts": counts,
                          "main_units_created_by_action": len(units) - len(rest),
                          "sha256": rows_digest(rows),
                          "digest": "SHA-256 of the canonical JSON of the imported rows "
                                    "(gongxin.people.demo.database_rows_digest recomputes it)"})
    return units, post_objs, cadre_objs


def _fill_context(ctx, rows, units, posts, cadres):
    data = ctx.data
    extra = rows["extra"]
    data["units"] = units
    data["root"] = data["county"] = units[D.COUNTY]
    data["townships"] = [u for u in units.values() if u.kind == OrgUnitKind.TOWNSHIP]
    data["departments"] = [u for u in units.values() if u.kind == OrgUnitKind.DEPARTMENT]
    data["organs"] = [u for u in units.values() if u.kind == OrgUnitKind.ORGAN and u.parent_id]
    data["institutions"] = [u for u in units.values() if u.kind == OrgUnitKind.INSTITUTION]
    data["sections"] = [u for u in units.values() if u.kind == OrgUnitKind.SECTION]
    data["villages"] = [u for u in units.values() if u.kind == OrgUnitKind.VILLAGE]
    data["cadres"] = cadres
    data["posts"] = posts
    by_key = {(p.org_unit.name, p.title): p for p in posts}
    data["township_secretary_posts"] = [p for p in posts if p.org_unit.kind == OrgUnitKind.TOWNSHIP
                                        and p.title in ("党委书记", "党工委书记")]
    data["township_head_posts"] = [p for p in posts if p.org_unit.kind == OrgUnitKind.TOWNSHIP
                                   and p.title in ("镇长", "办事处主任")]
    data["vacant_township_secretary_posts"] = [p for p in data["township_secretary_posts"]
                                               if p.org_unit.name in extra["vacant_secretary_townships"]]
    data["vacant_township_head_posts"] = [p for p in data["township_head_posts"]
                                          if p.org_unit.name in extra["vacant_head_townships"]]
    data["vacant_county_unit_posts"] = [by_key[key] for key in extra["vacant_zhengke"]]
    data["middle_posts"] = [p for p in posts if p.kind == PostKind.MIDDLE]
    data["county_leaders"] = [cadres[c["index"]] for c in extra["county_leaders"]]
    data["related_pairs"] = [(cadres[a], cadres[b], kind) for a, b, kind in extra["related_pairs"]]
    data["emigrated_spouse_cadres"] = [cadres[i] for i in extra["emigrated_spouse"]]
    data["village_cadres"] = [c for c, spec in zip(cadres, rows["cadres"], strict=True) if spec["tier"] == "village"]
    data["review_units"] = {code: units[name] for code, name in D.REVIEW_DEPARTMENTS}
    # Cadres by main unit (sections folded in), and the key projects' people.
    by_id = {u.pk: u for u in units.values()}
    by_main = defaultdict(list)
    for cadre, spec in zip(cadres, rows["cadres"], strict=True):
        unit = units[spec["org_unit"]]
        while unit.depth > 1:
            unit = by_id[unit.parent_id]
        by_main[unit.name].append(cadre)
    data["cadres_by_unit"] = dict(by_main)
    data["key_project_units"] = {name: [units[u] for u in unit_names] for name, unit_names in D.KEY_PROJECT_UNITS.items()}
    data["key_project_cadres"] = {name: [c for u in unit_names for c in by_main[u]]
                                  for name, unit_names in D.KEY_PROJECT_UNITS.items()}
    data["tiers"] = {cadre.pk: spec["tier"] for cadre, spec in zip(cadres, rows["cadres"], strict=True)}
    data["posts_by_key"] = by_key

