"""A year-on-year line chart as server-rendered SVG: no script, prints as it shows, readable
without colour (each series has its own marker and is labelled at its last point). Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 20, 36
COLOURS = ["#1f5fa8", "#b8501a", "#2f7d32", "#7b3fa0", "#8a6d00", "#00707a", "#a0306a", "#4d4d4d"]
MARKERS = ["circle", "square", "diamond", "triangle"]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(years: Sequence[int], series: Mapping[str, Mapping[int, float | None]], *, title: str,
               chart_id: str = "chart") -> str:
    """``series``: label → {year: value in 0..1 or None (no data that year)}. The y axis is 0–100%."""
    years = sorted(years)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(year: int) -> float:
        if len(years) == 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * years.index(year) / (len(years) - 1)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
           f'role="img" aria-labelledby="{chart_id}-title" id="{chart_id}" class="chart">',
           f'<title id="{chart_id}-title">{escape(title)}</title>']
    for tick in range(0, 101, 20):
        y = y_of(tick / 100)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}%</text>')
    for year in years:
        out.append(f'<text x="{x_of(year):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12">{year}</text>')
    for i, (label, values) in enumerate(series.items()):
        colour, marker = COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]
        points = [(x_of(y), y_of(values[y])) for y in years if values.get(y) is not None]
        if len(points) > 1:
            path = " ".join(f"{'M' if j == 0 else 'L'}{x:.1f} {y:.1f}" for j, (x, y) in enumerate(points))
            out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in points:
            out.append(_marker(marker, x, y, colour))
        if points:
            x, y = points[-1]
            last_year = [yr for yr in years if values.get(yr) is not None][-1]
            out.append(f'<text x="{LEFT + plot_w + 8}" y="{y + 4:.1f}" font-size="12" fill="{colour}">'
                       f'{escape(label)} {values[last_year] * 100:.1f}%</text>')
    out.append("</svg>")
    return "".join(out)
