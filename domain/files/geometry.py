"""Part geometry of models: the axis-aligned bounding box, the volume (signed tetrahedra; meaningful for closed
meshes) and the surface area. STL is read with numpy alone and carries no units: millimetres, as CAD exports for
manufacturing are. STEP and IGES are B-rep solids with units: OpenCASCADE triangulates them into glTF (GLB, metres;
convert.py, in a child process) and trimesh reads that mesh; the same GLB is the model's preview. An STL's preview is
its triangles as GLB (trimesh). A model that cannot be read, or is too large to analyse, is a GeometryFailed (the
worker records it as a failed analysis, never a crash). Pure: bytes in, numbers out."""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass

import numpy as np
import trimesh

from domain.files.outcomes import FailureCode, ProcessingFailed

# 5 million triangles is 250 MB of binary STL, more than any upload limit lets through; a bound all the same.
MAX_TRIANGLES = 5_000_000
_VERTEX = re.compile(rb"vertex\s+(\S+)\s+(\S+)\s+(\S+)")
UNREADABLE = FailureCode.unreadable
TOO_COMPLEX = FailureCode.too_complex
_BINARY = np.dtype([("normal", "<f4", (3,)), ("v", "<f4", (3, 3)), ("attr", "<u2")])


class GeometryFailed(ProcessingFailed):
    """A model that cannot be measured or shown: its code says why (outcomes.py)."""


@dataclass(frozen=True, slots=True)
class Geometry:
    size_x_mm: float
    size_y_mm: float
    size_z_mm: float
    volume_mm3: float
    area_mm2: float
    triangles: int

    @property
    def envelope(self) -> tuple[float, float, float]:
        return (self.size_x_mm, self.size_y_mm, self.size_z_mm)


def _triangles(data: bytes) -> np.ndarray:
    if len(data) >= 84:
        (count,) = struct.unpack_from("<I", data, 80)
        if count and len(data) == 84 + 50 * count:
            if count > MAX_TRIANGLES:
                raise GeometryFailed(
                    TOO_COMPLEX, f"{count} triangles: more than the {MAX_TRIANGLES} analysed", MAX_TRIANGLES
                )
            return np.frombuffer(data, dtype=_BINARY, count=count, offset=84)["v"].astype(np.float64)
    values = _VERTEX.findall(data)
    if len(values) > 3 * MAX_TRIANGLES:
        raise GeometryFailed(TOO_COMPLEX, f"more than the {MAX_TRIANGLES} triangles analysed", MAX_TRIANGLES)
    if not values or len(values) % 3:
        raise GeometryFailed(FailureCode.empty, "no complete triangles in the STL file")
    try:
        return np.array(values, dtype=np.float64).reshape(-1, 3, 3)
    except ValueError:
        raise GeometryFailed(UNREADABLE, "a vertex of the STL file is not three numbers") from None


def stl_geometry(data: bytes) -> Geometry:
    triangles = _triangles(data)
    if not np.isfinite(triangles).all():
        raise GeometryFailed(UNREADABLE, "the STL file has vertices that are not finite numbers")
    return _measure(triangles)


def _measure(triangles: np.ndarray) -> Geometry:
    points = triangles.reshape(-1, 3)
    size = points.max(axis=0) - points.min(axis=0)
    v0, v1, v2 = triangles[:, 0], triangles[:, 1], triangles[:, 2]
    area = 0.5 * float(np.linalg.norm(np.cross(v1 - v0, v2 - v0), axis=1).sum())
    volume = abs(float(np.einsum("ij,ij->i", v0, np.cross(v1, v2)).sum()) / 6.0)
    return Geometry(
        size_x_mm=round(float(size[0]), 3),
        size_y_mm=round(float(size[1]), 3),
        size_z_mm=round(float(size[2]), 3),
        volume_mm3=round(volume, 3),
        area_mm2=round(area, 3),
        triangles=int(triangles.shape[0]),
    )


def glb_geometry(glb: bytes) -> Geometry:
    """The geometry of a GLB that OpenCASCADE made of a STEP or IGES model: glTF is in metres, so the mesh (all
    parts, placed by the scene graph) is scaled to millimetres."""
    try:
        scene = trimesh.load(io.BytesIO(glb), file_type="glb", force="scene")
        # `load` is typed as any geometry; force="scene" makes it a Scene, which has to_mesh.
        mesh = scene.to_mesh()  # type: ignore[attr-defined]
    except Exception as error:  # trimesh raises what its readers raise; a bad GLB is a failed analysis
        raise GeometryFailed(UNREADABLE, f"the converted model cannot be read: {error}") from None
    if len(mesh.faces) == 0:
        raise GeometryFailed(FailureCode.empty, "the model has no surfaces")
    if len(mesh.faces) > MAX_TRIANGLES:
        raise GeometryFailed(
            TOO_COMPLEX, f"{len(mesh.faces)} triangles: more than the {MAX_TRIANGLES} analysed", MAX_TRIANGLES
        )
    triangles = np.asarray(mesh.triangles, dtype=np.float64) * 1000.0
    if not np.isfinite(triangles).all():
        raise GeometryFailed(UNREADABLE, "the model has vertices that are not finite numbers")
    return _measure(triangles)


def stl_preview_glb(data: bytes) -> bytes:
    """An STL's triangles as GLB for the browser's viewer: vertices merged, millimetres scaled to glTF's metres."""
    triangles = _triangles(data)
    if not np.isfinite(triangles).all():
        raise GeometryFailed(UNREADABLE, "the STL file has vertices that are not finite numbers")
    mesh = trimesh.Trimesh(
        vertices=triangles.reshape(-1, 3) / 1000.0, faces=np.arange(len(triangles) * 3).reshape(-1, 3), process=True
    )
    glb = mesh.export(file_type="glb")
    if not isinstance(glb, bytes):  # export's type covers every format; GLB is binary
        raise GeometryFailed(UNREADABLE, "the preview could not be written as GLB")
    return glb


def fits(part: tuple[float, float, float], limit: tuple[float, float, float]) -> bool:
    """Whether a part fits a work envelope in some orientation (its axes along the envelope's in any order):
    sorted side by sorted side."""
    return all(p <= m for p, m in zip(sorted(part), sorted(limit), strict=True))
