"""Small, real files of every accepted format (and a few hostile ones), made in code."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Sequence


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


# Real STEP solids (AP214 B-rep with millimetre units) that OpenCASCADE reads: a box and a cylinder of known volume.
Vec = Sequence[float]


class _Step:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, text: str) -> str:
        self.lines.append(text)
        return f"#{len(self.lines)}"

    def point(self, p: Vec) -> str:
        return self.add(f"CARTESIAN_POINT('',({p[0]:.6f},{p[1]:.6f},{p[2]:.6f}))")

    def direction(self, d: Vec) -> str:
        return self.add(f"DIRECTION('',({d[0]:.6f},{d[1]:.6f},{d[2]:.6f}))")

    def axis(self, origin: Vec, z: Vec, x: Vec) -> str:
        return self.add(f"AXIS2_PLACEMENT_3D('',{self.point(origin)},{self.direction(z)},{self.direction(x)})")

    def vertex(self, p: Vec) -> str:
        return self.add(f"VERTEX_POINT('',{self.point(p)})")

    def line_edge(self, v1: str, v2: str, p1: Vec, p2: Vec) -> str:
        d = [b - a for a, b in zip(p1, p2, strict=True)]
        length = sum(c * c for c in d) ** 0.5
        start = self.point(p1)
        vector = self.add(f"VECTOR('',{self.direction([c / length for c in d])},{length:.6f})")
        line = self.add(f"LINE('',{start},{vector})")
        return self.add(f"EDGE_CURVE('',{v1},{v2},{line},.T.)")

    def face(self, surface: str, loops: list[list[str]], same: bool = True) -> str:
        bounds = ",".join(
            self.add(f"FACE_OUTER_BOUND('',{self.add('EDGE_LOOP(' + repr('') + ',(' + ','.join(loop) + '))')},.T.)")
            for loop in loops
        )
        return self.add(f"ADVANCED_FACE('',({bounds}),{surface},{'.T.' if same else '.F.'})")

    def oriented(self, edge: str, forward: bool = True) -> str:
        return self.add(f"ORIENTED_EDGE('',*,*,{edge},{'.T.' if forward else '.F.'})")

    def finish(self, name: str, faces: list[str]) -> bytes:
        shell = self.add(f"CLOSED_SHELL('',({','.join(faces)}))")
        solid = self.add(f"MANIFOLD_SOLID_BREP('{name}',{shell})")
        length = self.add("( LENGTH_UNIT() NAMED_UNIT(*) SI_UNIT(.MILLI.,.METRE.) )")
        angle = self.add("( NAMED_UNIT(*) PLANE_ANGLE_UNIT() SI_UNIT($,.RADIAN.) )")
        solid_angle = self.add("( NAMED_UNIT(*) SI_UNIT($,.STERADIAN.) SOLID_ANGLE_UNIT() )")
        uncertainty = self.add(
            f"UNCERTAINTY_MEASURE_WITH_UNIT(LENGTH_MEASURE(1.E-07),{length},'distance_accuracy_value','')"
        )
        context = self.add(
            f"( GEOMETRIC_REPRESENTATION_CONTEXT(3) GLOBAL_UNCERTAINTY_ASSIGNED_CONTEXT(({uncertainty})) "
            f"GLOBAL_UNIT_ASSIGNED_CONTEXT(({length},{angle},{solid_angle})) REPRESENTATION_CONTEXT('','3D') )"
        )
        origin = self.axis((0, 0, 0), (0, 0, 1), (1, 0, 0))
        rep = self.add(f"ADVANCED_BREP_SHAPE_REPRESENTATION('',({origin},{solid}),{context})")
        app = self.add("APPLICATION_CONTEXT('automotive design')")
        self.add(f"APPLICATION_PROTOCOL_DEFINITION('international standard','automotive_design',2000,{app})")
        pcontext = self.add(f"PRODUCT_CONTEXT('',{app},'mechanical')")
        product = self.add(f"PRODUCT('{name}','{name}','',({pcontext}))")
        formation = self.add(f"PRODUCT_DEFINITION_FORMATION('','',{product})")
        dcontext = self.add(f"PRODUCT_DEFINITION_CONTEXT('part definition',{app},'design')")
        definition = self.add(f"PRODUCT_DEFINITION('design','',{formation},{dcontext})")
        shape = self.add(f"PRODUCT_DEFINITION_SHAPE('','',{definition})")
        self.add(f"SHAPE_DEFINITION_REPRESENTATION({shape},{rep})")
        data = "\n".join(f"#{i}={line};" for i, line in enumerate(self.lines, 1))
        return (
            "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('" + name + "'),'2;1');\n"
            "FILE_NAME('" + name + ".step','2026-01-01T00:00:00',(''),(''),'','','');\n"
            "FILE_SCHEMA(('AUTOMOTIVE_DESIGN { 1 0 10303 214 1 1 1 1 }'));\nENDSEC;\nDATA;\n"
            + data
            + "\nENDSEC;\nEND-ISO-10303-21;\n"
        ).encode()


def step_box(x: float, y: float, z: float, name: str = "box") -> bytes:
    s = _Step()
    p: list[Vec] = [(0, 0, 0), (x, 0, 0), (x, y, 0), (0, y, 0), (0, 0, z), (x, 0, z), (x, y, z), (0, y, z)]
    v = [s.vertex(q) for q in p]
    edges: dict[tuple[int, int], str] = {}

    def edge(a: int, b: int) -> str:
        if (a, b) in edges:
            return s.oriented(edges[(a, b)], True)
        if (b, a) in edges:
            return s.oriented(edges[(b, a)], False)
        edges[(a, b)] = s.line_edge(v[a], v[b], p[a], p[b])
        return s.oriented(edges[(a, b)], True)

    # Each face: corner loop counter-clockwise seen from outside, and its outward normal.
    quads = [
        ((0, 3, 2, 1), (0, 0, -1), (1, 0, 0)),
        ((4, 5, 6, 7), (0, 0, 1), (1, 0, 0)),
        ((0, 1, 5, 4), (0, -1, 0), (1, 0, 0)),
        ((1, 2, 6, 5), (1, 0, 0), (0, 1, 0)),
        ((2, 3, 7, 6), (0, 1, 0), (-1, 0, 0)),
        ((3, 0, 4, 7), (-1, 0, 0), (0, -1, 0)),
    ]
    faces = []
    for corners, normal, xdir in quads:
        loop = [edge(corners[i], corners[(i + 1) % 4]) for i in range(4)]
        plane = s.add(f"PLANE('',{s.axis(p[corners[0]], normal, xdir)})")
        faces.append(s.face(plane, [loop]))
    return s.finish(name, faces)


def step_cylinder(radius: float, height: float, name: str = "shaft") -> bytes:
    s = _Step()
    bottom: Vec = (radius, 0, 0)
    top: Vec = (radius, 0, height)
    vb, vt = s.vertex(bottom), s.vertex(top)
    circle_b = s.add(f"CIRCLE('',{s.axis((0, 0, 0), (0, 0, 1), (1, 0, 0))},{radius:.6f})")
    circle_t = s.add(f"CIRCLE('',{s.axis((0, 0, height), (0, 0, 1), (1, 0, 0))},{radius:.6f})")
    edge_b = s.add(f"EDGE_CURVE('',{vb},{vb},{circle_b},.T.)")
    edge_t = s.add(f"EDGE_CURVE('',{vt},{vt},{circle_t},.T.)")
    seam = s.line_edge(vb, vt, bottom, top)
    side_surface = s.add(f"CYLINDRICAL_SURFACE('',{s.axis((0, 0, 0), (0, 0, 1), (1, 0, 0))},{radius:.6f})")
    side = s.face(
        side_surface,
        [[s.oriented(edge_b, True), s.oriented(seam, True), s.oriented(edge_t, False), s.oriented(seam, False)]],
    )
    bottom_face = s.face(
        s.add(f"PLANE('',{s.axis((0, 0, 0), (0, 0, 1), (1, 0, 0))})"), [[s.oriented(edge_b, True)]], same=False
    )
    top_face = s.face(s.add(f"PLANE('',{s.axis((0, 0, height), (0, 0, 1), (1, 0, 0))})"), [[s.oriented(edge_t, True)]])
    return s.finish(name, [side, bottom_face, top_face])


def drawing_pdf(title: str = "Housing 40 x 20 x 10") -> bytes:
    """A one-page A4 landscape PDF drawing (frame, title block, a part outline with dimensions) that PDFium renders."""
    content = (
        b"2 w 20 20 802 555 re S 1 w 520 20 302 80 re S 180 220 320 160 re S 180 180 m 500 180 l S "
        b"BT /F1 16 Tf 530 70 Td (" + title.encode("latin-1") + b") Tj ET "
        b"BT /F1 12 Tf 320 165 Td (40) Tj ET BT /F1 12 Tf 530 40 Td (Steel 1.4301, 1:1) Tj ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += b"trailer << /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\nstartxref\n"
    return out + str(xref).encode() + b"\n%%EOF\n"
