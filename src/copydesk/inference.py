"""How copydesk runs every neural model: one onnxruntime session recipe (align/minilm.py, check/verifier.py)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np


def onnx_session(graph: Path, threads: int = 0, weights: Mapping[str, np.ndarray] | None = None):
    """An onnxruntime CPU session for `graph`, with `weights` (name -> array) for its external initializers.

    `threads` = 0 lets onnxruntime take one thread per physical core. Idle threads sleep instead of
    spinning: with another process busy on one core, spinning made two threads slower than one
    (docs/BENCHMARKS.md)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = threads
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if weights:
        values = [onnxruntime.OrtValue.ortvalue_from_numpy(np.ascontiguousarray(a)) for a in weights.values()]
        options.add_external_initializers(list(weights), values)  # copied in: `values` must live until here
    return onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
