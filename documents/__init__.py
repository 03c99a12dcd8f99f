"""The PDF adapter of the documents area: typst (its PyPI wheel carries the compiler) lays out the content that
domain/documents/content.py assembles, with the fonts shipped in fonts/."""
