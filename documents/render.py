"""The typst renderer: content (domain/documents/content.py) -> PDF bytes.

Deterministic: typst is given only the shipped fonts (never the machine's), the date printed and embedded comes
from the content, and typst itself derives the PDF's ids from the content, so the same content renders the same
bytes (tests/documents/test_render.py renders twice and compares hashes). Compiling takes tens of milliseconds of
CPU, so it runs in a thread and leaves the worker's event loop free.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typst

from domain.documents.content import DocumentContent

HERE = Path(__file__).parent
TEMPLATE = HERE / "templates" / "document.typ"
FONTS = HERE / "fonts"


class TypstRenderer:
    name = "typst"

    def render_sync(self, content: DocumentContent) -> bytes:
        data = json.dumps(content.as_data(), ensure_ascii=False, sort_keys=True)
        pdf = typst.compile(
            str(TEMPLATE),
            root=str(HERE),
            font_paths=[str(FONTS)],
            ignore_system_fonts=True,
            sys_inputs={"data": data},
            format="pdf",
        )
        assert isinstance(pdf, bytes)
        return pdf

    async def render(self, content: DocumentContent) -> bytes:
        return await asyncio.to_thread(self.render_sync, content)
