"""Offline evaluation: golden sets through the same services the API uses, metrics, leak probes, the gate."""
