#!/usr/bin/env python3
"""Draw the site icon (teal rounded square with a white arc) as PNG and ICO."""
import math, struct, zlib
def draw(size):
    teal = (11, 102, 96); white = (255, 255, 255)
    s = size / 32.0; rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            px, py = (x + .5) / s, (y + .5) / s
            r = 7; inside = True
            for cx, cy in ((r, r), (32 - r, r), (r, 32 - r), (32 - r, 32 - r)):
                if (px < r or px > 32 - r) and (py < r or py > 32 - r):
                    inside = math.hypot(px - (r if px < r else 32 - r), py - (r if py < r else 32 - r)) <= r
            # arc: quadratic curve from (7,21) to (25,21) control (16,12) -> approx circle
            d = abs(math.hypot(px - 16, py - 6) - 11.5) if py >= 11 else 99
            colour = white if d <= 1.75 and 6 <= px <= 26 else teal
            row += bytes(colour + ((255,) if inside else (0,)))[:3] + bytes([255 if inside else 0])
        rows.append(bytes(row))
    raw = b"".join(b"\x00" + r for r in rows)
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
png32 = draw(32)
ico = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 32, 32, 0, 0, 1, 32, len(png32), 22) + png32
open("content/extra/favicon.ico", "wb").write(ico)
open("content/extra/apple-touch-icon.png", "wb").write(draw(180))
