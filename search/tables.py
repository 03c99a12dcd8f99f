"""The postgres backend's own tables: one per index with what it is searched by, and the documents.

Rows are written only by the backend (from documents), never by the domain: the source of truth stays
in the domain tables, and these can be rebuilt at any time (`exchange search reindex`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlmodel import Field, SQLModel

from domain.columns import TEXT_ARRAY, TIMESTAMPTZ


class SearchManufacturer(SQLModel, table=True):
    __tablename__ = "search_manufacturer"
    __table_args__ = (
        Index("ix_search_manufacturer_tsv", "tsv", postgresql_using="gin"),
        Index("ix_search_manufacturer_processes", "processes", postgresql_using="gin"),
        Index("ix_search_manufacturer_region", "region"),
        Index("ix_search_manufacturer_tsv_name", "tsv_name", postgresql_using="gin"),
        Index("ix_search_manufacturer_certifications", "certifications", postgresql_using="gin"),
        # The browse order, which broad searches walk (search/postgres.py).
        Index("ix_search_manufacturer_browse", text("verified DESC"), text("lower(name)"), "id"),
        # The words and the filter values in one GIN key (migration search_0004): exact searches intersect them
        # inside one index scan (search/postgres.py, TERMS).
        Index(
            "ix_search_manufacturer_terms",
            text("search_manufacturer_terms(tsv, region, processes, certifications, materials, verified)"),
            postgresql_using="gin",
        ),
    )

    id: UUID = Field(primary_key=True)
    name: str = Field(sa_type=Text)
    region: str = Field(sa_type=String(6))
    verified: bool
    processes: list[str] = Field(sa_column=Column(TEXT_ARRAY, nullable=False))
    materials: list[str] = Field(sa_column=Column(TEXT_ARRAY, nullable=False))  # lower case
    certifications: list[str] = Field(sa_column=Column(TEXT_ARRAY, nullable=False))
    free_hours_4w: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    max_free_hours_4w: int = Field(sa_column=Column(Integer, nullable=False))
    tsv: str = Field(sa_column=Column(TSVECTOR, nullable=False))
    tsv_name: str = Field(sa_column=Column(TSVECTOR, nullable=False))
    indexed_at: datetime = Field(sa_type=TIMESTAMPTZ)


class SearchOrder(SQLModel, table=True):
    __tablename__ = "search_order"
    __table_args__ = (
        Index("ix_search_order_tsv", "tsv", postgresql_using="gin"),
        Index("ix_search_order_tsv_name", "tsv_name", postgresql_using="gin"),
        Index("ix_search_order_browse", "bidding_deadline", "id"),
    )

    id: UUID = Field(primary_key=True)
    title: str = Field(sa_type=Text)
    region: str = Field(sa_type=String(6))
    process: str = Field(sa_type=String(64))
    material: str = Field(sa_type=Text)  # lower case
    certifications: list[str] = Field(sa_column=Column(TEXT_ARRAY, nullable=False))
    public: bool
    bidding_deadline: datetime = Field(sa_type=TIMESTAMPTZ)
    # Who may see it besides the public: the buyer and the invited manufacturers.
    audience: list[str] = Field(sa_column=Column(TEXT_ARRAY, nullable=False))
    tsv: str = Field(sa_column=Column(TSVECTOR, nullable=False))
    tsv_name: str = Field(sa_column=Column(TSVECTOR, nullable=False))
    indexed_at: datetime = Field(sa_type=TIMESTAMPTZ)


class SearchDocument(SQLModel, table=True):
    """The documents themselves, apart from the tables searches scan (keeps those rows narrow): read for a
    page's snippets and for `documents()`."""

    __tablename__ = "search_document"

    index_name: str = Field(sa_type=String(32), primary_key=True)
    id: UUID = Field(primary_key=True)
    document: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))


class SearchLexeme(SQLModel, table=True):
    """Every word the indexes hold: a query word nobody wrote is corrected to the nearest ones (typos)."""

    __tablename__ = "search_lexeme"
    __table_args__ = (
        Index("ix_search_lexeme_trgm", "word", postgresql_using="gin", postgresql_ops={"word": "gin_trgm_ops"}),
    )

    word: str = Field(sa_type=String(64), primary_key=True)


class SearchTerm(SQLModel, table=True):
    """Every lexeme an index holds (from its tsvectors), in byte order: the query's last word, matched as a prefix,
    becomes the lexemes it begins (search/postgres.py). Written with the rows; the rows indexed before migration
    search_0004 by the backfill search-terms."""

    __tablename__ = "search_term"

    index_name: str = Field(sa_type=String(32), primary_key=True)
    word: str = Field(sa_type=Text(collation="C"), primary_key=True)
