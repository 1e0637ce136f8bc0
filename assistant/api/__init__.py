"""The HTTP API and web chat: thin FastAPI routes over the shared services."""

from assistant.api.app import create_app

__all__ = ["create_app"]
