"""The demo county's people: 惠民县's unit tree, posts and about 2,000 cadres with resumes,
relations, post holdings and annual grades (DOMAIN §7).

Two halves:

* ``plan(seed, today)`` is pure Python: it draws the whole county from ``random.Random``
  streams and returns plain rows (units and posts referred to by name). Same seed, same rows.
* ``build(ctx)`` writes the plan. **This is a bulk import path, not a sequence of actions.**
  The ~40 main units go through ``actions.create_org_unit`` (one ledger event each, as any
  unit would); everything else — villages, sections, posts, cadres, resume entries,
  relations, post holdings, annual grades, some 35,000 rows — is written with
  ``bulk_create`` and recorded by ONE ledger event, ``people.demo.imported``, whose payload
  carries the row counts and the SHA-256 of the imported rows' canonical JSON
  (``rows_digest``). Calling ``create_cadre``/``add_resume_entry``… per row would write
  tens of thousands of events and take minutes on a small machine; one import event keeps
  the ledger honest (anyone can recompute the digest from the database with
  ``database_rows_digest()``) and the build fast. The import runs in one transaction with
  its event, like any action.
"""


# The package, by sub-domain: ``plan`` (the planner, mixed from ``tree``, ``persons``,
# ``careers``, ``county``, ``families``, ``grades``), ``digest``, ``write`` (``build``), ``data``.
from .common import GRADE_LABEL, TARGET_CADRES
from .digest import database_rows, database_rows_digest, rows_digest
from .plan import plan
from .write import build

__all__ = ["GRADE_LABEL", "TARGET_CADRES", "build", "database_rows", "database_rows_digest", "plan", "rows_digest"]
