"""Realtime fan-out: what the subscribers of one event may see, read once per API process (service.py)."""
