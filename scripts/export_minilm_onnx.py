"""Export the packaged all-MiniLM-L6-v2 as the ONNX graph copydesk's embedder runs (align/minilm.py).

The graph is the BERT encoder with mean pooling and L2 normalisation inside (onnxruntime returns the
sentence vectors), opset 17, dynamic batch and length. It also returns the last layer's token states,
L2-normalised: the claim check's token verifier compares them (check/verifier.py), so the one forward
pass that aligns a sentence also feeds the verifier. It ships without its weights (about 150 KB):
each weight is marked external, and `minilm-graph.json` says which tensor of the MiniLM package's
model.safetensors it is (transposed where the exporter folded a transpose into it), so the runtime
hands onnxruntime the packaged weights themselves. int8 quantisation was measured and rejected:
sentence similarities moved by up to 0.14 (mean 0.024) against the float model; per-channel int8 of
the matrix products alone moved `make eval` figures by more than half a point (docs/BENCHMARKS.md).

    python scripts/export_minilm_onnx.py   # needs torch (make setup installs it)

Deterministic for a given torch version: the same weights give the same files.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from safetensors.numpy import load_file
from transformers import AutoModel

from copydesk.align.minilm import GRAPH, WEIGHT_MAP, minilm_model_dir

NAMES = ["input_ids", "attention_mask"]


class SentenceVectors(torch.nn.Module):
    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return (torch.nn.functional.normalize(pooled, p=2.0, dim=1),
                torch.nn.functional.normalize(hidden, p=2.0, dim=2))


def packaged_tensor(array: np.ndarray, weights: dict[str, np.ndarray]) -> tuple[str, bool] | None:
    """(name in model.safetensors, transposed) of the packaged tensor `array` is, or None."""
    for name, tensor in weights.items():
        if tensor.shape == array.shape and np.array_equal(tensor, array):
            return name, False
        if tensor.ndim == 2 and tensor.T.shape == array.shape and np.array_equal(tensor.T, array):
            return name, True
    return None


def export() -> None:
    model_dir = minilm_model_dir()
    weights = load_file(str(model_dir / "model.safetensors"))
    model = SentenceVectors(AutoModel.from_pretrained(str(model_dir))).eval()
    example = (torch.ones((2, 9), dtype=torch.long), torch.ones((2, 9), dtype=torch.long))
    axes = {n: {0: "batch", 1: "tokens"} for n in [*NAMES, "token_states"]} | {"vectors": {0: "batch"}}
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp, "minilm.onnx")
        torch.onnx.export(model, example, str(full), input_names=NAMES, output_names=["vectors", "token_states"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
        graph = onnx.load(str(full))
    mapping = {}
    for init in graph.graph.initializer:
        array = numpy_helper.to_array(init)
        found = packaged_tensor(array, weights) if array.nbytes >= 1024 else None
        if found is None:
            continue  # small constants stay in the graph
        mapping[init.name] = {"tensor": found[0], "transposed": found[1]}
        init.ClearField("raw_data")
        init.data_location = onnx.TensorProto.EXTERNAL
        del init.external_data[:]
        entry = init.external_data.add()
        entry.key, entry.value = "location", "model.safetensors"
    graph.ir_version = min(graph.ir_version, 8)  # what every onnxruntime since 1.10 reads
    onnx.save(graph, str(GRAPH))
    digest = hashlib.sha256((model_dir / "model.safetensors").read_bytes()).hexdigest()
    WEIGHT_MAP.write_text(json.dumps({"script": "scripts/export_minilm_onnx.py", "torch": torch.__version__,
                                      "model_safetensors_sha256": digest, "initializers": mapping}, indent=1) + "\n")
    print(f"wrote {GRAPH} ({GRAPH.stat().st_size / 1e3:.0f} KB) and {WEIGHT_MAP} ({len(mapping)} weights)")


if __name__ == "__main__":
    export()
