"""Charts as server-rendered SVG: no script, no CDN, they print. Each bar is a link to the
records it counts; the same numbers are in the table under the chart."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

WIDTH = 640
LABEL = 190
ROW = 30
BAR = 20
PAD = 8
COLOURS = ["#b3261e", "#1f5fa8", "#2e7d32", "#8e5a00", "#6a3fa0", "#00707a", "#9c4221", "#4a5568"]


def bar_chart(figure) -> str:
    """Horizontal bars, one per part; a funnel shows each step's share of the first."""
    bars = figure.bars
    top = max((b.value for b in bars), default=0) or 1
    first = bars[0].value if bars else 0
    height = PAD * 2 + ROW * max(len(bars), 1)
    span = WIDTH - LABEL - 70
    parts = [format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">',
        WIDTH, height, figure.spec.title)]
    for n, bar in enumerate(bars):
        y = PAD + n * ROW
        width = round(span * bar.value / top, 1)
        colour = COLOURS[n % len(COLOURS)]
        value = str(bar.value)
        if figure.spec.chart == "funnel" and n and first:
            value += f"（{round(100 * bar.value / first)}%）"
        parts.append(format_html(
            '<a href="{}"><title>{}：{}</title>'
            '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
            '<text x="{}" y="{}" class="chart-value">{}</text></a>',
            figure.link(bar.part), bar.label, bar.value,
            LABEL - 8, y + BAR * 0.75, _clip(bar.label),
            LABEL, y, max(width, 1 if bar.value else 0), BAR, colour,
            LABEL + width + 6, y + BAR * 0.75, value))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def _clip(label: str, size: int = 13) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"
