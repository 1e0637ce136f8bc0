"""Sales knowledge assistant: role-filtered answers over a Qdrant knowledge base."""

__version__ = "0.1.0"
