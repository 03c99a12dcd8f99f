"""Files: drawings, CAD models and specifications on orders, stored content-addressed behind a port."""
