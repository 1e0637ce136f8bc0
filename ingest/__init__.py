"""Files -> elements -> normalised text -> chunks (+ metadata, access)."""
