"""What can go wrong while reading a document, in words a curator can act on."""

from __future__ import annotations


class IngestError(Exception):
    """A file could not be ingested; the message names the file and what is wrong."""


class UnsupportedFormat(IngestError):
    """The file's suffix is not one we can parse."""


class MetadataError(IngestError):
    """A metadata source (front matter, sidecar, `_meta.yaml`, CLI) holds an invalid field."""
