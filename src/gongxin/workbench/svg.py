"""Charts as server-rendered SVG: no script, no CDN, they print. Each bar is a link to the
records it counts; the same numbers are in the table under the chart.

A label is never cut short: a long one (the 8/13/5 figure's run to 30 characters) wraps onto up to
``MOST_LINES`` lines beside its bar, the row growing to hold them; only a label longer still ends
in "…" (its whole text stays in the bar's tooltip and in the table)."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

WIDTH = 640
LABEL = 250   # the label column, in the chart's units (13px text: about 18 Chinese characters a line)
ROW = 30
BAR = 20
PAD = 8
LINE = 16     # between two lines of one label
MOST_LINES = 3
EM = 13       # the font size of .chart in workbench.css
COLOURS = ["#b3261e", "#1f5fa8", "#2e7d32", "#8e5a00", "#6a3fa0", "#00707a", "#9c4221", "#4a5568"]


def _width(ch: str) -> float:
    """An estimate of a character's width in ems: CJK and full-width forms 1, the rest about half."""
    return 1.0 if ord(ch) >= 0x2E80 else 0.55


def label_lines(label: str, room: float = (LABEL - 14) / EM, most: int = MOST_LINES) -> list[str]:
    """``label`` broken into lines of at most ``room`` ems, at most ``most`` of them."""
    lines, line, used = [], "", 0.0
    for ch in label:
        if used + _width(ch) > room and line:
            lines.append(line.rstrip())
            line, used = "", 0.0
            if ch == " ":
                continue
        line += ch
        used += _width(ch)
    if line:
        lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:-1] + "…"
    return lines or [""]


def bar_chart(figure) -> str:
    """Horizontal bars, one per part; a funnel shows each step's share of the first."""
    bars = figure.bars
    top = max((b.value for b in bars), default=0) or 1
    first = bars[0].value if bars else 0
    labels = [label_lines(b.label) for b in bars]
    rows = [max(ROW, LINE * len(lines) + 10) for lines in labels]
    height = PAD * 2 + (sum(rows) if rows else ROW)
    span = WIDTH - LABEL - 70
    parts = [format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">',
        WIDTH, height, figure.spec.title)]
    top_of_row = PAD
    for n, bar in enumerate(bars):
        middle = top_of_row + rows[n] / 2
        y = middle - BAR / 2
        width = round(span * bar.value / top, 1)
        colour = COLOURS[n % len(COLOURS)]
        value = str(bar.value)
        if figure.spec.chart == "funnel" and n and first:
            value += f"（{round(100 * bar.value / first)}%）"
        first_line = middle + 4.5 - LINE * (len(labels[n]) - 1) / 2
        text = mark_safe("".join(str(format_html('<tspan x="{}" y="{}">{}</tspan>', LABEL - 8, first_line + LINE * i, line))
                                 for i, line in enumerate(labels[n])))
        parts.append(format_html(
            '<a href="{}"><title>{}：{}</title>'
            '<text text-anchor="end" class="chart-label">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
            '<text x="{}" y="{}" class="chart-value">{}</text></a>',
            figure.link(bar.part), bar.label, bar.value, text,
            LABEL, y, max(width, 1 if bar.value else 0), BAR, colour,
            LABEL + width + 6, middle + 4.5, value))
        top_of_row += rows[n]
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))
