"""Inline SVG charts for the HTML report, drawn here (no chart library, no external files).

Every text that goes into the SVG is escaped; the charts carry a <title> for screen readers, and every point
and bar a tooltip "<name> <period>: <value> (n=<responses>)". A chart shows only figures that the report's
tables show too (the caller passes published figures only, None for the others).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

OVERALL_COLOR: Final = "#222222"
PALETTE: Final = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#a50021", "#3b3838")
FONT: Final = "font-family='Segoe UI, Arial, sans-serif' font-size='12'"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    color: str = ""
    counts: tuple[int | None, ...] = ()  # the responses behind each value, for its tooltip


def _default_format(value: float) -> str:
    return f"{value:.1f}"


def _tooltip(name: str, when: str, value: str, count: int | None) -> str:
    n = f" (n={count})" if count is not None else ""
    return f"<title>{escape(name)} {escape(when)}: {escape(value)}{n}</title>"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_min: float = 1.0,
    y_max: float = 5.0,
    width: int = 760,
    height: int = 300,
    format_value: Callable[[float], str] = _default_format,
) -> str:
    """Lines over periods on a fixed y range; None values leave a gap. Returns an <svg> element."""
    left, right, top, bottom = 40, 170, 30, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(x_labels), 1)

    def x_at(i: int) -> float:
        return left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return top + plot_h * (1 - (v - y_min) / (y_max - y_min))

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' {FONT}>",
        f"<title>{escape(title)}</title>",
        f"<text x='{left}' y='18' font-size='14' font-weight='bold'>{escape(title)}</text>",
    ]
    step = 1.0
    value = y_min
    while value <= y_max + 1e-9:
        y = y_at(value)
        parts.append(f"<line x1='{left}' y1='{y:.1f}' x2='{left + plot_w}' y2='{y:.1f}' stroke='#ddd'/>")
        parts.append(f"<text x='{left - 8}' y='{y + 4:.1f}' text-anchor='end'>{_num(value)}</text>")
        value += step
    every = max(1, -(-count // 12))
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == count - 1:
            x = x_at(i)
            parts.append(
                f"<text x='{x:.1f}' y='{top + plot_h + 16}' text-anchor='end' "
                f"transform='rotate(-40 {x:.1f} {top + plot_h + 16})'>{escape(label)}</text>"
            )
    for n, s in enumerate(series):
        color = s.color or PALETTE[n % len(PALETTE)]
        width_px = 3 if n == 0 else 2
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x_at(i):.1f},{y_at(v):.1f}")
            responses = s.counts[i] if i < len(s.counts) else None
            parts.append(
                f"<circle cx='{x_at(i):.1f}' cy='{y_at(v):.1f}' r='3' fill='{color}'>"
                f"{_tooltip(s.name, x_labels[i], format_value(v), responses)}</circle>"
            )
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f"<polyline fill='none' stroke='{color}' stroke-width='{width_px}' points='{' '.join(points)}'/>"
                )
        ly = top + 14 + n * 18
        lx = left + plot_w + 16
        parts.append(f"<rect x='{lx}' y='{ly - 9}' width='12' height='12' fill='{color}'/>")
        parts.append(f"<text x='{lx + 18}' y='{ly + 1}'>{escape(s.name)}</text>")
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    spread: float
    count: int  # the responses behind the value
    when: str  # the period the value is for
    color: str = ""


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    x_max: float = 5.0,
    width: int = 760,
    format_value: Callable[[float], str] = _default_format,
) -> str:
    """Horizontal bars (mean) with a ±spread whisker and the mean and number of responses beside them."""
    left, right, top, row = 190, 110, 34, 26
    height = top + row * max(len(bars), 1) + 30
    plot_w = width - left - right

    def x_at(v: float) -> float:
        return left + plot_w * max(0.0, min(v, x_max)) / x_max

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' {FONT}>",
        f"<title>{escape(title)}</title>",
        f"<text x='{left}' y='18' font-size='14' font-weight='bold'>{escape(title)}</text>",
    ]
    for tick in range(int(x_max) + 1):
        x = x_at(tick)
        parts.append(f"<line x1='{x:.1f}' y1='{top - 6}' x2='{x:.1f}' y2='{height - 26}' stroke='#ddd'/>")
        parts.append(f"<text x='{x:.1f}' y='{height - 10}' text-anchor='middle'>{tick}</text>")
    for i, bar in enumerate(bars):
        y = top + i * row
        color = bar.color or PALETTE[i % len(PALETTE)]
        parts.append(
            f"<text x='{left - 8}' y='{y + 15}' text-anchor='end'>{escape(bar.label)}</text>"
            f"<rect x='{left}' y='{y + 3}' width='{x_at(bar.value) - left:.1f}' height='16' fill='{color}'>"
            f"{_tooltip(bar.label, bar.when, format_value(bar.value), bar.count)}</rect>"
        )
        low, high = x_at(bar.value - bar.spread), x_at(bar.value + bar.spread)
        parts.append(
            f"<line x1='{low:.1f}' y1='{y + 11}' x2='{high:.1f}' y2='{y + 11}' stroke='#000'/>"
            f"<line x1='{low:.1f}' y1='{y + 6}' x2='{low:.1f}' y2='{y + 16}' stroke='#000'/>"
            f"<line x1='{high:.1f}' y1='{y + 6}' x2='{high:.1f}' y2='{y + 16}' stroke='#000'/>"
            f"<text x='{left + plot_w + 8}' y='{y + 15}'>{escape(format_value(bar.value))} · n={bar.count}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
