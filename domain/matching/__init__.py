"""Matching: scoring, bid ranking and capacity-aware allocation, over a read model of manufacturer records.

Loading the package installs its records as the implementation of domain/ports/records.py, through which the
lower areas (orders, bids, contracts, organisations, manufacturers) keep that read model current."""

from domain.matching import records as _records
from domain.ports import records as _port

_port.install(_records)
