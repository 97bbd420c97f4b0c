"""The dashboard's bar charts keep their labels whole: a long label (the 8/13/5 figure's) wraps
beside its bar instead of being cut to 13 characters, the rows grow to hold it, nothing overlaps."""

import re
from types import SimpleNamespace

from gongxin.workbench import svg
from gongxin.workbench.figures import Bar

LONG = "在艰苦乡镇累计工作 3 年以上的 35 岁以下年轻干部提拔"


def _figure(labels, chart="bar"):
    bars = [Bar(label, n + 1, f"p{n}") for n, label in enumerate(labels)]
    return SimpleNamespace(bars=bars, spec=SimpleNamespace(title="图", chart=chart), link=lambda part: f"/r?part={part}")


def _lines_of(html):
    """Each bar's label as drawn: the text of its tspans, joined."""
    return [re.findall(r"<tspan[^>]*>([^<]*)</tspan>", a) for a in re.findall(r"<a .*?</a>", html)]


def test_a_long_label_is_drawn_whole_on_several_lines():
    html = svg.bar_chart(_figure([LONG, "自荐", "在艰苦乡镇累计工作 3 年以上的乡镇干部进入县直部门"]))
    drawn = _lines_of(html)
    assert ["".join(lines) for lines in drawn] == [LONG, "自荐",
                                                   "在艰苦乡镇累计工作 3 年以上的乡镇干部进入县直部门"]
    assert len(drawn[0]) == 2 and len(drawn[1]) == 1 and "…" not in html


def test_rows_grow_with_their_labels_and_do_not_overlap():
    html = svg.bar_chart(_figure([LONG, LONG, "自荐"]))
    height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', html).group(1))
    ys = [float(y) for y in re.findall(r'<rect x="\d+" y="([\d.]+)"', html)]
    assert ys == sorted(ys) and ys[1] - ys[0] >= svg.LINE * 2 + 10 and ys[2] - ys[1] >= svg.ROW
    label_ys = [float(y) for y in re.findall(r'<tspan x="\d+" y="([\d.]+)"', html)]
    assert label_ys == sorted(label_ys) and max(label_ys) < height
    assert height > svg.PAD * 2 + svg.ROW * 3  # taller than three one-line rows


def test_a_label_beyond_three_lines_ends_in_an_ellipsis_and_keeps_its_tooltip():
    text = "很长的标签" * 20
    html = svg.bar_chart(_figure([text]))
    assert len(_lines_of(html)[0]) == svg.MOST_LINES and _lines_of(html)[0][-1].endswith("…")
    assert f"<title>{text}：1</title>" in html
