"""A list page as HTML, built in Python (issue 14, issue 20 "Lists").

``includes/list.html`` was some seventy template nodes a page: two dozen ``{% translate %}``,
loops over the actions, the column chooser, the page sizes, each variable resolved through the
template engine's lookups. Here the fixed words are translated once per language and the page is
joined as strings; the include is ``{{ lst.html }}``. The markup is the same as the template's."""

import datetime as dt
import html as _html

from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .columns import text_of

_esc = _html.escape
_WORDS: dict[str, dict[str, str]] = {}


def _words() -> dict[str, str]:
    """The list's fixed words in the active language (gettext once per language, not per page)."""
    lang = get_language() or ""
    words = _WORDS.get(lang)
    if words is None:
        words = {key: str(escape(text)) for key, text in (
            ("search", _("查询")), ("reset", _("重置")), ("columns", _("显示列")), ("apply", _("应用")),
            ("pages", _("分页")), ("first", _("首页")), ("prev", _("上一页")), ("next", _("下一页")),
            ("last", _("末页")), ("jump", _("跳至")), ("page", _("页")), ("per", _("每页")), ("rows", _("条")),
            ("ok", _("确定")), ("yes", _("是")), ("no", _("否")), ("empty", _("没有符合条件的记录。可以放宽筛选条件再查。")))}
        _WORDS[lang] = words
    return words


def _labels(spec) -> dict[str, str]:
    """{column key: its label, escaped} in the active language, kept on the spec (once per
    language, not per column per page: the labels are lazy translations)."""
    lang = get_language() or ""
    kept = spec.__dict__.setdefault("_gx_labels", {})
    labels = kept.get(lang)
    if labels is None:
        labels = kept[lang] = {c.key: str(conditional_escape(str(c.label))) for c in spec.columns}
    return labels


class ListHTML:
    """The rendering half of :class:`ListPage` (page.py holds the data it reads)."""

    @property
    def sizes(self):
        from .page import PAGE_SIZES

        return PAGE_SIZES

    @property
    def keep_inputs(self) -> str:
        """For the filter panel: the sort, size and columns it does not itself carry."""
        fields = set(self.form.fields) if self.form is not None else set()
        return self._hidden(only=("sort", "size", "cols"), exclude=fields)

    @property
    def hidden_without_cols(self) -> str:
        return self._hidden(exclude=("cols",))

    @property
    def hidden_without_size(self) -> str:
        return self._hidden(exclude=("size",))

    def _hidden(self, only=None, exclude=()) -> str:
        out = []
        for name, values in self.base.lists():
            if name in exclude or (only is not None and name not in only):
                continue
            for value in values:
                out.append(f'<input type="hidden" name="{_esc(name)}" value="{_esc(value)}">')
        return mark_safe("".join(out))

    @cached_property
    def filters_html(self) -> str:
        from .fields import render_fields

        return render_fields(self.form, getattr(self.request, "user", None)) if self.form is not None else ""

    @property
    def column_choices(self):
        shown = {c.key for c in self.columns}
        return [(c.key, c.label, c.key in shown) for c in self.spec.columns]

    @cached_property
    def head_html(self) -> str:
        out = []
        current = self.sort
        labels = _labels(self.spec)
        from .page import _linker

        url = _linker(self.base)
        for col in self.columns:
            label = labels[col.key]
            if col.sort is None:
                out.append(f"<th>{label}</th>")
                continue
            new = f"-{col.key}" if current == col.key else col.key
            arrow = " ▲" if current == col.key else (" ▼" if current == f"-{col.key}" else "")
            aria = ' aria-sort="ascending"' if current == col.key else (
                ' aria-sort="descending"' if current == f"-{col.key}" else "")
            out.append(f'<th{aria}><a href="{_esc(url(sort=new))}">{label}{arrow}</a></th>')
        return mark_safe("".join(out))

    @cached_property
    def body_html(self) -> str:
        """The table body as one string: each column's getter bound once for the page (its
        labels dict, its link pattern), stdlib escaping (Django's escape is lazy-aware and
        three times slower per cell)."""
        cols = []
        for col in self.columns:
            get = col.get.bind() if hasattr(col.get, "bind") else col.get
            link = (col.link.bind() if hasattr(col.link, "bind") else col.link) if col.link is not None else None
            cell = f'<td class="{col.css}">' if col.css else "<td>"
            cols.append((get, link, cell, col.html))
        row_class = self.spec.row_class
        yes, no = _words()["yes"], _words()["no"]  # text_of's words, translated once a page
        parts = []
        append = parts.append
        for row in self.rows:
            cls = row_class(row) if row_class else ""
            append(f'<tr class="{cls}">' if cls else "<tr>")
            for get, link, cell, is_html in cols:
                value = get(row)
                if is_html:
                    text = str(value)
                elif value.__class__ is str:
                    text = _esc(value)
                elif value.__class__ is bool:
                    text = yes if value else no
                elif value.__class__ is dt.date:
                    text = value.isoformat()
                else:
                    text = _esc(text_of(value))
                if link is not None and text:
                    href = link(row)
                    if href:
                        text = f'<a href="{_esc(href)}">{text}</a>'
                append(f"{cell}{text}</td>")
            append("</tr>")
        if not self.rows:
            empty = escape(self.spec.empty) if self.spec.empty else _words()["empty"]
            append(f'<tr><td colspan="{len(self.columns)}" class="muted">{empty}</td></tr>')
        return mark_safe("".join(parts))

    @property
    def column_count(self) -> int:
        return len(self.columns)

    @cached_property
    def html(self) -> str:
        """The whole list: filter panel, toolbar (count, actions, export, column chooser),
        table, pagination with "jump to page" and the page size."""
        w = _words()
        e = conditional_escape
        spec = self.spec
        actions = "".join(f'<a class="button {e(css)}" href="{e(url)}">{e(label)}</a>' for label, url, css in self.actions)
        exports = "".join(f'<a class="button secondary" data-list-export href="{e(url)}">{e(label)}</a>'
                          for label, url in self.export_urls)
        shown = {c.key for c in self.columns}
        labels = _labels(spec)
        choices = "".join(f'<label><input type="checkbox" name="cols" value="{e(c.key)}"'
                          f'{" checked" if c.key in shown else ""}> {labels[c.key]}</label>' for c in spec.columns)
        sizes = "".join(f'<option value="{s}"{" selected" if s == self.size else ""}>{s}</option>' for s in self.sizes)
        count = ngettext("共 %(n)s 条", "共 %(n)s 条", self.count) % {"n": self.count}
        where = _("第 %(n)s / %(total)s 页") % {"n": self.number, "total": self.num_pages}
        table_id = f' id="{e(spec.table_id)}"' if spec.table_id else ""
        first = f'<a href="{e(self.first_url)}">« {w["first"]}</a>' if self.number > 1 else ""
        prev = f'<a href="{e(self.prev_url)}" rel="prev">‹ {w["prev"]}</a>' if self.prev_url else ""
        nxt = f'<a href="{e(self.next_url)}" rel="next">{w["next"]} ›</a>' if self.next_url else ""
        last = f'<a href="{e(self.last_url)}">{w["last"]} »</a>' if self.number < self.num_pages else ""
        return mark_safe(
            f'<div class="list" data-list="{e(spec.name)}">\n'
            f'<form method="get" class="filters" role="search" data-list-filters>\n'
            f'  {self.filters_html}{self.keep_inputs}\n'
            f'  <div><button type="submit">{w["search"]}</button> <a class="button secondary" '
            f'href="{e(self.reset_url)}">{w["reset"]}</a></div>\n'
            f'</form>\n<div class="toolbar">\n'
            f'  <span class="muted" data-list-count="{self.count}">{e(count)}</span>\n'
            f'  {actions}\n  {exports}\n'
            f'  <details class="list-columns" data-list-columns><summary>{w["columns"]}</summary>\n'
            f'    <form method="get">{self.hidden_without_cols}{choices}\n'
            f'    <button type="submit">{w["apply"]}</button></form>\n  </details>\n</div>\n'
            f'<div class="table-wrap"><table class="data"{table_id}>\n'
            f'<thead><tr>{self.head_html}</tr></thead>\n<tbody>{self.body_html}</tbody></table></div>\n'
            f'<nav class="pagination" aria-label="{w["pages"]}" data-list-pages>\n'
            f'  {first}\n  {prev}\n  <span>{e(where)}</span>\n  {nxt}\n  {last}\n'
            f'  <form method="get" class="inline" data-list-jump>{self.hidden_without_size}\n'
            f'    <label>{w["jump"]} <input type="number" name="page" min="1" max="{self.num_pages}" '
            f'value="{self.number}" size="5"> {w["page"]}</label>\n'
            f'    <label>{w["per"]} <select name="size">{sizes}</select> {w["rows"]}</label>\n'
            f'    <button type="submit" class="secondary">{w["ok"]}</button>\n  </form>\n</nav>\n</div>\n')
