"""`python installer/icon.py`: draws the program's icon into resources/marketmeter.png (the
window icon) and resources/marketmeter.ico (the .exe, the setup and its shortcuts), both
committed. A meter's face: a rounded blue square, a white lightning bolt and a water drop."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
PNG = ROOT / "resources" / "marketmeter.png"
ICO = ROOT / "resources" / "marketmeter.ico"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = 1024) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    s = size / 256  # drawn on a 256 grid
    pen.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=48 * s, fill=(21, 101, 192))
    bolt = [(124, 28), (56, 140), (108, 140), (92, 228), (168, 108), (116, 108), (140, 28)]
    pen.polygon([(x * s, y * s) for x, y in bolt], fill=(255, 255, 255))
    # the drop: a circle with a point on top
    cx, cy, r = 188 * s, 192 * s, 30 * s
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(129, 212, 250))
    pen.polygon(
        [(cx - r * 0.92, cy - r * 0.4), (cx, cy - 2.3 * r), (cx + r * 0.92, cy - r * 0.4)],
        fill=(129, 212, 250),
    )
    return image


def main() -> None:
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(PNG)
    big.save(ICO, sizes=ICO_SIZES)
    print(f"wrote {PNG} and {ICO}")


if __name__ == "__main__":
    main()
