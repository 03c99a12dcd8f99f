"""Small, real files of every accepted format (and a few hostile ones), made in code."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def pdf(extra: bytes = b"") -> bytes:
    body = b"1 0 obj << /Type /Catalog /Pages 2 0 R " + extra + b">> endobj\n"
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def step(name: str = "housing") -> bytes:
    return (
        b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('" + name.encode() + b"'),'2;1');\nENDSEC;\nDATA;\n"
        b"#1=CARTESIAN_POINT('',(0.,0.,0.));\nENDSEC;\nEND-ISO-10303-21;\n"
    )


def iges() -> bytes:
    start = "Sensor housing drawing".ljust(72) + "S      1"
    return (start + "\n" + "1H,,1H;".ljust(72) + "G      1\n").encode()


def dxf() -> bytes:
    return b"  0\nSECTION\n  2\nHEADER\n  0\nENDSEC\n  0\nEOF\n"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 16 + b"\xff\xd9"


def stl_ascii(size: float = 10.0) -> bytes:
    s = f"{size:.1f}"
    return (
        "solid cube\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n   vertex "
        f"{s} 0 0\n   vertex 0 {s} 0\n  endloop\n endfacet\nendsolid cube\n"
    ).encode()


def stl_binary(triangles: list[tuple[tuple[float, float, float], ...]] | None = None, header: bytes = b"") -> bytes:
    triangles = triangles or [((0, 0, 0), (10, 0, 0), (0, 10, 0))]
    out = (header or b"binary stl").ljust(80, b" ")[:80] + struct.pack("<I", len(triangles))
    for triangle in triangles:
        out += struct.pack("<3f", 0, 0, 1)
        for vertex in triangle:
            out += struct.pack("<3f", *vertex)
        out += b"\x00\x00"
    return out


def zip_named_stl() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("part.stl", stl_ascii())
    return buffer.getvalue()


def box(x: float, y: float, z: float) -> list[tuple[tuple[float, float, float], ...]]:
    """A closed box x by y by z (mm) as 12 outward-facing triangles."""
    p = [(0, 0, 0), (x, 0, 0), (x, y, 0), (0, y, 0), (0, 0, z), (x, 0, z), (x, y, z), (0, y, z)]
    faces = [
        (0, 2, 1), (0, 3, 2), (4, 5, 6), (4, 6, 7), (0, 1, 5), (0, 5, 4),
        (1, 2, 6), (1, 6, 5), (2, 3, 7), (2, 7, 6), (3, 0, 4), (3, 4, 7),
    ]  # fmt: skip
    return [tuple(tuple(float(c) for c in p[i]) for i in face) for face in faces]  # type: ignore[misc]
