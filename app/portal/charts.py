"""Bar charts as inline SVG, drawn on the server: no script, works in WeChat's web-view."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT, TOP, BOTTOM = 340, 140, 14, 18


def bar_chart(points, labels_every: int = 1, label=lambda d: str(d)) -> Markup:
    """`points`: (key, quantity) in order; a bar each, the largest labelled with its value."""
    points = list(points)
    if not points:
        return Markup("")
    top = max((q for _, q in points), default=Decimal("0")) or Decimal("1")
    step = WIDTH / len(points)
    plot = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (key, q) in enumerate(points):
        h = float(q / top) * plot
        x = i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + plot - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}"><title>{escape(label(key))}: {q:.1f}</title></rect>'
        )
        last = i == len(points) - 1
        if (len(points) - 1 - i) % labels_every == 0:  # counted back from today's bar
            anchor, lx = ("end", WIDTH) if last else ("middle", x + step * 0.35)
            parts.append(
                f'<text x="{lx:.1f}" y="{HEIGHT - 4}" text-anchor="{anchor}">'
                f"{escape(label(key))}</text>"
            )
    peak = max(range(len(points)), key=lambda i: points[i][1])
    if points[peak][1] > 0:
        parts.append(
            f'<text class="peak" x="{peak * step + step / 2:.1f}" y="{TOP - 3}" '
            f'text-anchor="middle">{points[peak][1]:.1f}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
