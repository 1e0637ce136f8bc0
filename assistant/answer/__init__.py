"""Chunks -> grounded answers, talk tracks and follow-up drafts (extractive, or an LLM when configured)."""
