"""Draw the Teams app icons into app_manifest/: color.png (192x192) and outline.png (32x32).

The symbol is a speech bubble (the assistant answers questions) carrying a star (the police badge).
- color.png: full-bleed police-blue background, white bubble, blue star, gold badge dot; the symbol
  keeps 30 px clear of every edge so the rounded crops Teams applies never cut it.
- outline.png: the same symbol in white on a fully transparent background; every pixel's alpha is
  0 or 255 (Teams shows the outline icon on its own coloured surfaces and rejects semi-transparency).

Shapes are drawn at a multiple of the final size and scaled down, so edges are smooth in color.png;
the outline's alpha is then thresholded back to 0/255.

Run: .venv/bin/python scripts/draw_icons.py [--out DIR]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from PIL import Image, ImageDraw

POLICE_BLUE = (20, 48, 92)
POLICE_BLUE_LIGHT = (31, 78, 137)
WHITE = (255, 255, 255)
GOLD = (242, 184, 27)

COLOR_SIZE = 192
OUTLINE_SIZE = 32
ROOT = Path(__file__).resolve().parent.parent


def star(cx: float, cy: float, outer: float, inner_ratio: float = 0.42) -> list[tuple[float, float]]:
    """A five-pointed star, one point up."""
    points: list[tuple[float, float]] = []
    for i in range(10):
        radius = outer if i % 2 == 0 else outer * inner_ratio
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def bubble(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    fill: int | tuple[int, int, int],
    scale: float,
) -> None:
    """A rounded speech bubble with its tail at the lower left."""
    left, top, right, bottom = box
    draw.rounded_rectangle(box, radius=(bottom - top) * 0.28, fill=fill)
    tail = [
        (left + (right - left) * 0.18, bottom - 2 * scale),
        (left + (right - left) * 0.40, bottom - 2 * scale),
        (left + (right - left) * 0.10, bottom + (bottom - top) * 0.30),
    ]
    draw.polygon(tail, fill=fill)


def draw_color(size: int = COLOR_SIZE, supersample: int = 4) -> Image.Image:
    s = size * supersample
    unit = s / COLOR_SIZE
    image = Image.new("RGB", (s, s), POLICE_BLUE)
    draw = ImageDraw.Draw(image)
    for y in range(s):  # a gentle top-to-bottom gradient, lighter at the top
        mix = y / (s - 1)
        row = tuple(
            round(a * mix + b * (1 - mix)) for a, b in zip(POLICE_BLUE, POLICE_BLUE_LIGHT, strict=True)
        )
        draw.line([(0, y), (s, y)], fill=row)
    box = (40 * unit, 44 * unit, 152 * unit, 128 * unit)
    bubble(draw, box, WHITE, unit)
    draw.polygon(star(96 * unit, 87 * unit, 30 * unit), fill=POLICE_BLUE)
    badge = (134 * unit, 34 * unit, 162 * unit, 62 * unit)
    draw.ellipse(badge, fill=GOLD, outline=WHITE, width=round(4 * unit))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def draw_outline(size: int = OUTLINE_SIZE, supersample: int = 8) -> Image.Image:
    s = size * supersample
    unit = s / OUTLINE_SIZE
    mask = Image.new("L", (s, s), 0)
    draw = ImageDraw.Draw(mask)
    box = (2 * unit, 4 * unit, 30 * unit, 24 * unit)
    bubble(draw, box, 255, unit)
    # Hollow the bubble to a 2.5 px ring so the star reads as its own shape.
    inner = (4.5 * unit, 6.5 * unit, 27.5 * unit, 21.5 * unit)
    draw.rounded_rectangle(inner, radius=(inner[3] - inner[1]) * 0.22, fill=0)
    draw.polygon(star(16 * unit, 14.3 * unit, 7 * unit, inner_ratio=0.45), fill=255)
    alpha = mask.resize((size, size), Image.Resampling.BOX).point(lambda v: 255 if v >= 128 else 0)
    image = Image.new("RGBA", (size, size), (*WHITE, 0))
    image.putalpha(alpha)
    # Transparent pixels carry no colour either: fully transparent black, as image tools expect.
    transparent = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    return Image.composite(image, transparent, alpha)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draw the Teams app icons (color.png, outline.png).")
    parser.add_argument("--out", type=Path, default=ROOT / "app_manifest", help="folder to write into")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    draw_color().save(out / "color.png", optimize=True)
    draw_outline().save(out / "outline.png", optimize=True)
    print(f"wrote {out / 'color.png'} and {out / 'outline.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
