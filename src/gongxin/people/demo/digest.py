"""The digest of the imported rows, recomputable from the database."""

import hashlib

from gongxin.ledger.canonical import canonical_json

from ..models import (
    AnnualGrade,
    Cadre,
    OrgUnit,
    Post,
    PostHolding,
    Relation,
    ResumeEntry,
)
from .common import (
    CADRE_FIELDS,
    HOLDING_FIELDS,
    POST_FIELDS,
    RELATION_FIELDS,
    RESUME_FIELDS,
    UNIT_FIELDS,
)

# ---- digest ------------------------------------------------------------------------------------

def rows_digest(rows: dict) -> str:
    """SHA-256 over the canonical JSON of the imported rows, in a form the database can give
    back (cadres keyed by ID number, units by name, no database ids)."""
    return hashlib.sha256(canonical_json(_canonical(rows))).hexdigest()


def _canonical(rows: dict) -> dict:
    ids = [c["id_number"] for c in rows["cadres"]]

    def ref(i):
        return None if i is None else ids[i]

    return {
        "units": sorted([[u[k] for k in UNIT_FIELDS] for u in rows["units"]], key=lambda r: r[0]),
        "posts": sorted([[x[k] for k in POST_FIELDS] for x in rows["posts"]], key=lambda r: (r[0], r[1])),
        "cadres": sorted([[c[k] for k in CADRE_FIELDS] for c in rows["cadres"]], key=lambda r: r[0]),
        "resume": sorted([[ref(r["cadre"])] + [r[k] for k in RESUME_FIELDS[1:]] for r in rows["resume"]],
                         key=lambda r: (r[0], r[1].isoformat(), r[3])),
        "relations": sorted([[ref(r["cadre"])] + [ref(r[k]) if k == "related_cadre" else r[k]
                                                  for k in RELATION_FIELDS[1:]] for r in rows["relations"]],
                            key=lambda r: (r[0], r[1])),
        "holdings": sorted([[ref(h["cadre"])] + [h[k] for k in HOLDING_FIELDS[1:]] for h in rows["holdings"]],
                           key=lambda r: (r[0], r[1], r[2], r[3].isoformat())),
        "grades": sorted([[ref(g["cadre"]), g["year"], g["grade"]] for g in rows["grades"]]),
    }


def database_rows(cadre_ids=None) -> dict:
    """The imported tables read back from the database in ``plan``'s row shape."""
    cadres = Cadre.objects.order_by("id")
    if cadre_ids is not None:
        cadres = cadres.filter(pk__in=cadre_ids)
    fields = [f for f in CADRE_FIELDS if f not in ("org_unit", "rank")]
    cadre_rows, index = [], {}
    for row in cadres.values("id", *fields, "org_unit__name", "rank__code"):
        index[row["id"]] = len(cadre_rows)
        cadre_rows.append({**{f: row[f] for f in fields}, "org_unit": row["org_unit__name"], "rank": row["rank__code"]})
    units = [{"name": u.name, "kind": u.kind, "parent": u.parent.name if u.parent_id else None,
              "short_name": u.short_name, "is_grassroots": u.is_grassroots, "is_remote": u.is_remote,
              "sort_order": u.sort_order} for u in OrgUnit.objects.select_related("parent")]
    posts = [{"unit": p["org_unit__name"], "title": p["title"], "rank": p["rank__code"], "kind": p["kind"],
              "headcount": p["headcount"]}
             for p in Post.objects.values("org_unit__name", "title", "rank__code", "kind", "headcount")]
    resume = [{"cadre": index[r["cadre_id"]], "start": r["start"], "end": r["end"], "description": r["description"],
               "kind": r["kind"], "place": r["place"], "org_unit": r["org_unit__name"],
               "is_grassroots": r["is_grassroots"]}
              for r in ResumeEntry.objects.filter(cadre_id__in=index).values(
                  "cadre_id", "start", "end", "description", "kind", "place", "org_unit__name", "is_grassroots")]
    relations = [{"cadre": index[r["cadre_id"]], "sort_order": r["sort_order"], "kind": r["kind"], "title": r["title"],
                  "name": r["name"], "birth": r["birth"], "political_status": r["political_status"],
                  "work_unit_and_post": r["work_unit_and_post"],
                  "related_cadre": index.get(r["related_cadre_id"]), "emigrated": r["emigrated"]}
                 for r in Relation.objects.filter(cadre_id__in=index).values(
                     "cadre_id", "sort_order", "kind", "title", "name", "birth", "political_status",
                     "work_unit_and_post", "related_cadre_id", "emigrated")]
    holdings = [{"cadre": index[h["cadre_id"]], "unit": h["post__org_unit__name"], "title": h["post__title"],
                 "start": h["start"], "end": h["end"], "probation_end": h["probation_end"], "note": h["note"]}
                for h in PostHolding.objects.filter(cadre_id__in=index).values(
                    "cadre_id", "post__org_unit__name", "post__title", "start", "end", "probation_end", "note")]
    grades = [{"cadre": index[g["cadre_id"]], "year": g["year"], "grade": g["grade"]}
              for g in AnnualGrade.objects.filter(cadre_id__in=index).values("cadre_id", "year", "grade")]
    return {"units": units, "posts": posts, "cadres": cadre_rows, "resume": resume, "relations": relations,
            "holdings": holdings, "grades": grades}


def database_rows_digest() -> str:
    """Recompute the import's digest from what is in the database now."""
    return rows_digest(database_rows())

