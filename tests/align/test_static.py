import numpy as np
import pytest

from copydesk.align.static import sif_weights
from copydesk.settings import MINILM, STATIC, Settings


def test_sif_weights_favour_rare_tokens():
    w = sif_weights(30522)
    assert w[1996] < w[5000] < w[25000] <= 1.0  # "the" weighs least


def test_settings_pick_calibrated_values_per_embedder():
    assert Settings.load(embedder=STATIC).embedder == STATIC
    assert Settings.load().embedder == MINILM
    with pytest.raises(ValueError, match="unknown embedder"):
        Settings.load(embedder="nope")


@pytest.mark.model
def test_static_embedder_ranks_a_paraphrase_above_an_unrelated_sentence():
    # Uses the shared cache, so the ~40 s build happens once per machine (here or in the evaluation).
    from copydesk.align.minilm import minilm_model_dir
    from copydesk.align.static import StaticEmbedder, table_path

    e = StaticEmbedder()
    assert table_path(minilm_model_dir()).is_file()  # built and cached on first use
    v = e.embed(["Flood claims rose to 4,120 last year.", "Insurers received 4,120 flood claims in 2021.", "The mayor opened a library.", ""])
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-5) and not v[3].any()
    assert v[0] @ v[1] > v[0] @ v[2]
    again = StaticEmbedder()  # loads the cached table: same vectors
    assert np.allclose(again.embed(["Flood claims rose to 4,120 last year."]), v[:1])
