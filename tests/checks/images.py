"""Tiny, real image files generated in code (no binary blobs): PNG via zlib, baseline JPEG by hand."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (40, 120, 200)) -> bytes:
    """An RGB PNG filled with one colour."""
    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(row * height))
        + _chunk(b"IEND", b"")
    )


def jpeg(gray: int = 128) -> bytes:
    """An 8x8 grayscale baseline JPEG of one flat tone (DC only, one-symbol Huffman tables)."""
    dc = round((gray - 128) * 8 / 8)  # quantiser 8: DC coefficient = 8 * (value - 128) / 8
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([8] + [1] * 63)
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 8, 8, 1) + b"\x01\x11\x00"
    # DC table: one code of length 1 for the category of `dc`; AC table: one code for EOB
    category = 0 if dc == 0 else abs(dc).bit_length()
    dht_dc = b"\xff\xc4" + struct.pack(">H", 20) + b"\x00" + bytes([1] + [0] * 15) + bytes([category])
    dht_ac = b"\xff\xc4" + struct.pack(">H", 20) + b"\x10" + bytes([1] + [0] * 15) + b"\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00"
    bits = "0"  # DC category code
    if category:
        value = dc if dc > 0 else dc + (1 << category) - 1
        bits += format(value, f"0{category}b")
    bits += "0"  # EOB
    bits += "1" * (-len(bits) % 8)
    data = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))
    data = data.replace(b"\xff", b"\xff\x00")
    return b"\xff\xd8" + dqt + sof + dht_dc + dht_ac + sos + data + b"\xff\xd9"
