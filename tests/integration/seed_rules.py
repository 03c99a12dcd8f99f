"""Rules that demo and benchmark data must both keep: each query counts the rows that break one rule."""

BIDDER_FITS: dict[str, str] = {
    "bid by a shop whose profile lacks the process or the quantity": """
        SELECT count(*) FROM bid b
        JOIN production_order o ON o.id = b.order_id
        LEFT JOIN manufacturer_profile p ON p.organisation_id = b.manufacturer_organisation_id
        WHERE p.organisation_id IS NULL OR NOT (o.process = ANY (p.processes))
           OR o.quantity < p.min_quantity OR o.quantity > coalesce(p.max_quantity, o.quantity)
    """,
    "bid by a shop without a required certification valid until need-by": """
        SELECT count(*) FROM bid b
        JOIN production_order o ON o.id = b.order_id
        CROSS JOIN LATERAL unnest(o.required_certifications) AS required(standard)
        WHERE NOT EXISTS (
            SELECT 1 FROM certification c
            WHERE c.organisation_id = b.manufacturer_organisation_id
              AND c.standard = required.standard AND c.valid_until >= o.need_by
        )
    """,
}
