"""One list convention for every table (issue 19, issue 20 "Lists").

A list page declares a :class:`ListSpec` (its columns, sorts, filter form, export) and calls
:func:`build_list`; its template includes ``includes/list.html``. Every list then has the same
parts: a search and filter panel, sortable headers, a page size, "jump to page", export of what
is filtered (CSV or Excel) and a choice of columns.

Made for 200,000 rows:
- pages are fetched by keyset ("after the last row of the previous page"), so page 2,000 costs
  what page 1 costs; "jump to page" finds the first key of that page once (a narrow query on the
  sort keys) and keeps it (page.py; the keyset conditions in keyset.py);
- the count comes from the cache, per scope and filter, and is invalidated when a model the list
  reads is saved or deleted (versions.py);
- cells are built in Python: labels from dicts made once per language, row links from one
  reversed pattern, the table body as one string; the whole list too, ``includes/list.html``
  being ``{{ lst.html }}`` (render.py); the filter panel is kept per user, values asked for and
  model versions (fields.py).
"""

from .columns import Column, choice_labels, link_to
from .page import ListPage, ListSpec, build_list
from .versions import bump, watch

__all__ = ["Column", "ListPage", "ListSpec", "build_list", "bump", "choice_labels", "link_to", "watch"]
