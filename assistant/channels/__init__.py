"""Chat channels (Slack, WeCom): platform event -> IncomingMessage -> services -> OutgoingMessage."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.services import Services


def mount_channels(app: FastAPI, services: Services) -> None:
    """Add the Slack and WeCom webhook routes to the app (each only when configured)."""
