"""search: one GIN index over a manufacturer's words and its filter values (region, processes, certifications,
materials, verified), so that a search's words and filters are intersected inside one index scan

A search such as `galvanised` in sheet metal in RU-TA matched 882 rows, but the three separate indexes it was planned
with returned 46,801, 30,129 and 7,731 rows, each built into a bitmap before the bitmaps were intersected (most of
the statement's time, bench/README.md). In one GIN key GIN's own AND skips along the large posting lists to the rare
one's items. No new column and no backfill: the index is over an expression of the columns the row has
(search_manufacturer_terms, an immutable SQL function), built concurrently.

And the table search_term: the vocabulary a prefix (the query's last word) is expanded with.

Revision ID: search_0004
Revises: taxes_0001
Create Date: 2026-12-06 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations.ops import create_index_concurrently, drop_index_concurrently

revision: str = "search_0004"
down_revision: str | None = "taxes_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The lexemes a filter value becomes (search/postgres.py builds the matching tsquery): a prefix no query word can
# produce, since query words are \w+ and every prefix holds a '~' and a ':'.
TERMS_FUNCTION = """
CREATE OR REPLACE FUNCTION search_manufacturer_terms(
    tsv tsvector, region text, processes varchar[], certifications varchar[], materials varchar[], verified boolean
) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT tsv || array_to_tsvector(
        ARRAY['~r:' || region]
        || ARRAY(SELECT '~p:' || v FROM unnest(processes) v WHERE v IS NOT NULL)
        || ARRAY(SELECT '~c:' || v FROM unnest(certifications) v WHERE v IS NOT NULL)
        || ARRAY(SELECT '~m:' || v FROM unnest(materials) v WHERE v IS NOT NULL)
        || CASE WHEN verified THEN ARRAY['~v'] ELSE ARRAY[]::text[] END
    )
$$
"""
TERMS = "search_manufacturer_terms(tsv, region, processes, certifications, materials, verified)"


def upgrade() -> None:
    # Every lexeme each index holds, in byte order: the last word of a query, a prefix, is matched as the lexemes
    # it begins (exact GIN entries) instead of a partial match. Filled by the backend's writes; the rows already
    # indexed by the backfill search-terms (exchange/backfill.py), until which prefixes are matched as before.
    op.create_table(
        "search_term",
        sa.Column("index_name", sa.String(length=32), nullable=False),
        sa.Column("word", sa.Text(collation="C"), nullable=False),
        sa.PrimaryKeyConstraint("index_name", "word", name=op.f("pk_search_term")),
    )
    op.execute(TERMS_FUNCTION)
    create_index_concurrently(
        "ix_search_manufacturer_terms", "search_manufacturer", [sa.text(TERMS)], postgresql_using="gin"
    )


def downgrade() -> None:
    op.drop_table("search_term")
    drop_index_concurrently("ix_search_manufacturer_terms", "search_manufacturer")
    op.execute(
        "DROP FUNCTION IF EXISTS search_manufacturer_terms(tsvector, text, varchar[], varchar[], varchar[], boolean)"
    )
