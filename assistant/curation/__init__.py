"""Curation: the review queue, curated answers reviewed by a second person, and analytics."""
