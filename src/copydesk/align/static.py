"""Static token embeddings distilled from all-MiniLM-L6-v2 (model2vec's recipe).

Each vocabulary token is run through MiniLM on its own ([CLS] token [SEP],
mean-pooled); a sentence is then the weighted mean of its tokens' vectors,
with frequent tokens down-weighted (SIF weights from a Zipf estimate of
token frequency: BERT's vocabulary is roughly frequency-ordered). No
attention at run time, so it embeds tens of thousands of sentences a second:
good for finding candidates, not for final decisions.

The table is built from the installed MiniLM files by `build_static_table`
(about 30 s on 2 cores; `python -m copydesk.align.static`) and cached under $COPYDESK_CACHE
(default ~/.cache/copydesk); the same inputs give the same table.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import numpy as np

from copydesk.settings import STATIC

STATIC_VERSION = int(STATIC.rsplit('v', 1)[1])
_FIRST_WORD_ID = 1996  # BERT uncased: ids below are [PAD], [unusedN], specials and single characters
_SIF_A = 1e-3  # SIF's a: a token of estimated frequency f weighs a / (a + f)


def cache_dir() -> Path:
    return Path(os.environ.get("COPYDESK_CACHE", Path.home() / ".cache" / "copydesk"))


def _weights_fingerprint(model_dir: Path) -> str:
    h = hashlib.sha256()
    with (model_dir / "model.safetensors").open("rb") as fh:
        h.update(fh.read(1 << 20))
    h.update(str((model_dir / "model.safetensors").stat().st_size).encode())
    return h.hexdigest()[:12]


def table_path(model_dir: Path) -> Path:
    return cache_dir() / f"static-minilm-v{STATIC_VERSION}-{_weights_fingerprint(model_dir)}.npy"


def sif_weights(vocab_size: int) -> np.ndarray:
    rank = np.maximum(np.arange(vocab_size) - _FIRST_WORD_ID + 1, 1).astype(np.float64)
    zipf = 1.0 / (rank * np.log(1.78 * vocab_size))  # Zipf's law estimate of each token's frequency
    return (_SIF_A / (_SIF_A + zipf)).astype(np.float32)


def build_static_table(model_dir: Path | None = None, batch_size: int = 512) -> np.ndarray:
    """Rows = unit vectors for each token id, each scaled by its SIF weight."""
    from copydesk.align.minilm import MiniLMEncoder, minilm_model_dir

    encoder = MiniLMEncoder(model_dir or minilm_model_dir())
    vocab_size = encoder.tokenizer.get_vocab_size()
    cls_id, sep_id = encoder.tokenizer.token_to_id("[CLS]"), encoder.tokenizer.token_to_id("[SEP]")
    table = np.zeros((vocab_size, encoder.dim), dtype=np.float32)
    for start in range(0, vocab_size, batch_size):
        ids = [[cls_id, t, sep_id] for t in range(start, min(start + batch_size, vocab_size))]
        table[start : start + len(ids)] = encoder.vectors(ids)
    return table * sif_weights(vocab_size)[:, None]


def load_or_build_table(model_dir: Path) -> np.ndarray:
    path = table_path(model_dir)
    if path.is_file():
        return np.load(path)
    print(f"copydesk: building the static embedding table once ({path})…", file=sys.stderr)
    table = build_static_table(model_dir).astype(np.float16)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, table)
    tmp.replace(path)  # atomic: a crash never leaves half a table
    return table


class StaticEmbedder:
    """Fast candidate embedder: SIF-weighted mean of distilled token vectors."""

    name = STATIC
    dim = 384

    def __init__(self, model_dir: Path | None = None) -> None:
        from tokenizers import Tokenizer

        from copydesk.align.minilm import minilm_model_dir

        model_dir = model_dir or minilm_model_dir()
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.table = load_or_build_table(model_dir).astype(np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch(texts, add_special_tokens=False)):
            if encoding.ids:
                v = self.table[encoding.ids].sum(axis=0)
                out[row] = v / max(float(np.linalg.norm(v)), 1e-12)
        return out


if __name__ == "__main__":
    from copydesk.align.minilm import minilm_model_dir

    print(table_path(minilm_model_dir()), load_or_build_table(minilm_model_dir()).shape)
