"""How copydesk runs every neural model: one onnxruntime session recipe (align/minilm.py, check/verifier.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
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


def length_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Input indexes, shortest first, in batches: inputs of like length share a batch, so each pads little."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def padded(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token-id rows padded with 0 to the longest, and the mask of the real tokens."""
    ids = np.zeros((len(rows), max(len(row) for row in rows)), dtype=np.int64)
    mask = np.zeros_like(ids)
    for r, row in enumerate(rows):
        ids[r, : len(row)] = row
        mask[r, : len(row)] = 1
    return ids, mask

