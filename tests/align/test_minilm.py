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


def test_token_states_are_the_last_layer_of_minilm_normalised():
    import torch
    from transformers import AutoModel, AutoTokenizer

    from copydesk.align.minilm import MiniLMEncoder, minilm_model_dir

    vectors, states = MiniLMEncoder().encode_with_tokens(SENTENCES[:2])
    tokenizer = AutoTokenizer.from_pretrained(str(minilm_model_dir()))
    model = AutoModel.from_pretrained(str(minilm_model_dir())).eval()
    for text, ours in zip(SENTENCES[:2], states):
        encoded = tokenizer(text, return_tensors="pt")
        with torch.no_grad():
            hidden = torch.nn.functional.normalize(model(**encoded).last_hidden_state[0, 1:-1], dim=-1).numpy()
        assert ours.ids.tolist() == encoded["input_ids"][0, 1:-1].tolist()
        assert np.abs(ours.states.astype(np.float32) - hidden).max() < 2e-3  # stored as float16
        pieces = [t.removeprefix("##") for t in tokenizer.convert_ids_to_tokens(ours.ids.tolist())]
        assert [text[a:b].lower() for a, b in ours.offsets] == pieces
