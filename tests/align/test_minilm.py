"""Integration: MiniLM on onnxruntime must give sentence-transformers' vectors."""

import numpy as np
import pytest

pytestmark = pytest.mark.model

SENTENCES = [
    "Insurers in Lower Vasland received 4,120 flood-damage claims in 2021.",
    "Flood claims filed with insurers rose to 4,120 last year.",
    "The mayor opened a new library on Saturday.",
    "x",
    "A much longer sentence " * 20,
]


def test_onnx_encoder_matches_sentence_transformers():
    from sentence_transformers import SentenceTransformer

    from copydesk.align.minilm import MiniLMEncoder, minilm_model_dir

    ours = MiniLMEncoder().encode(SENTENCES, batch_size=2)
    reference = SentenceTransformer(str(minilm_model_dir()), device="cpu").encode(SENTENCES, normalize_embeddings=True)
    assert np.abs(ours - reference).max() < 1e-4


def test_paraphrase_scores_above_unrelated(real_embedder):
    v = real_embedder.embed(SENTENCES[:3])
    assert v[0] @ v[1] > 0.6 > v[0] @ v[2]
