"""Organisations' legal ids checked by country in SQL: the operator's filter for ids that fail today's check

Organisations that signed up before the ИНН check (or before the БИН and УНП checks) may hold a number that does not
pass it. The function states domain/organisations/rules.legal_id_is_valid in SQL (tests/unit/test_legal_id_kinds.py
holds the two together); the partial index keeps the operator's list of such organisations a range scan at 200k
organisations.

Revision ID: organisations_legal_id
Revises: identity_0002
Create Date: 2026-12-06 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations.ops import create_index_concurrently, drop_index_concurrently

revision: str = "organisations_legal_id"
down_revision: str | None = "identity_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE FUNCTION organisation_legal_id_valid(legal_id text, region text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    country text := split_part(region, '-', 1);
    d int[];
    c int;
BEGIN
    IF country = 'RU' THEN
        IF legal_id !~ '^([0-9]{10}|[0-9]{12})$' THEN RETURN false; END IF;
        d := string_to_array(legal_id, NULL)::int[];
        IF length(legal_id) = 10 THEN
            RETURN (d[1]*2 + d[2]*4 + d[3]*10 + d[4]*3 + d[5]*5 + d[6]*9 + d[7]*4 + d[8]*6 + d[9]*8) % 11 % 10 = d[10];
        END IF;
        RETURN (d[1]*7 + d[2]*2 + d[3]*4 + d[4]*10 + d[5]*3 + d[6]*5 + d[7]*9 + d[8]*4 + d[9]*6 + d[10]*8)
                   % 11 % 10 = d[11]
           AND (d[1]*3 + d[2]*7 + d[3]*2 + d[4]*4 + d[5]*10 + d[6]*3 + d[7]*5 + d[8]*9 + d[9]*4 + d[10]*6
                + d[11]*8) % 11 % 10 = d[12];
    ELSIF country = 'KZ' THEN
        IF legal_id !~ '^[0-9]{12}$' THEN RETURN false; END IF;
        d := string_to_array(legal_id, NULL)::int[];
        c := (d[1]*1 + d[2]*2 + d[3]*3 + d[4]*4 + d[5]*5 + d[6]*6 + d[7]*7 + d[8]*8 + d[9]*9 + d[10]*10
              + d[11]*11) % 11;
        IF c = 10 THEN
            c := (d[1]*3 + d[2]*4 + d[3]*5 + d[4]*6 + d[5]*7 + d[6]*8 + d[7]*9 + d[8]*10 + d[9]*11 + d[10]*1
                  + d[11]*2) % 11;
        END IF;
        RETURN c <> 10 AND c = d[12];
    ELSIF country = 'BY' THEN
        IF legal_id !~ '^[0-9]{9}$' THEN RETURN false; END IF;
        d := string_to_array(legal_id, NULL)::int[];
        c := (d[1]*29 + d[2]*23 + d[3]*19 + d[4]*17 + d[5]*13 + d[6]*7 + d[7]*5 + d[8]*3) % 11;
        RETURN c <> 10 AND c = d[9];
    END IF;
    RETURN legal_id ~ '^[A-Z0-9][A-Z0-9-]{3,31}$';
END
$$
"""


def upgrade() -> None:
    op.execute(FUNCTION)
    create_index_concurrently(
        "ix_organisation_invalid_legal_id",
        "organisation",
        ["created_at", "id"],
        postgresql_where=sa.text("NOT organisation_legal_id_valid(legal_id, region)"),
    )


def downgrade() -> None:
    drop_index_concurrently("ix_organisation_invalid_legal_id", "organisation")
    op.execute("DROP FUNCTION organisation_legal_id_valid(text, text)")
