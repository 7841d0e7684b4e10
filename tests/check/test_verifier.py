"""The verifier decides whether an aligned sentence is supported; the rules name the kind."""

import math

import numpy as np
import pytest

from copydesk.align.embedder import CachedEmbedder, HashingEmbedder, MiniLMEmbedder, make_embedder
from copydesk.check import verdicts
from copydesk.check.verifier import (
    FEATURES,
    TOKEN_DIM,
    LogisticVerifier,
    RulesOnlyVerifier,
    TokenVerifier,
    make_verifier,
    rule_fired,
    token_batch,
)
from copydesk.errors import ModelError
from copydesk.ingest import document_from_text
from copydesk.models import Alignment
from copydesk.segment import segment
from copydesk.settings import LOGISTIC, RULES_ONLY, TOKEN_VERIFIER


class FixedVerifier:
    name = "fixed-fake"
    threshold = 0.5

    def __init__(self, score: float) -> None:
        self.score = score
        self.seen = []

    def unsupported(self, claims):
        self.seen = list(claims)
        return [self.score] * len(claims)


def judge(source: str, derived: str, verifier):
    src, der = segment(document_from_text(source)), segment(document_from_text(derived))
    alignments = tuple(Alignment((i,), (i,), 0.9, 0.9) for i in range(min(len(src.sentences), len(der.sentences))))
    return verdicts(src, der, alignments, verifier=verifier), src.document, der.document


def test_a_flag_no_rule_explains_is_meaning_changed_over_the_source_sentence():
    v, src, der = judge("The council approved the plan on Monday.", "The council delayed the plan on Monday.", FixedVerifier(0.9))
    assert v[0].verdict == "distorted" and v[0].verifier_score == 0.9
    (finding,) = v[0].findings
    assert finding.kind == "meaning_changed" and "0.90" in finding.explanation
    assert src.text[slice(*finding.source_span)] == "The council approved the plan on Monday."
    assert der.text[slice(*finding.derived_span)] == "The council delayed the plan on Monday."


def test_the_verifier_overrules_a_rule_and_keeps_its_kind_when_it_agrees():
    source, derived = "Insurers received 4,120 claims in 2021.", "Insurers received 4,210 claims in 2021."
    v, _, _ = judge(source, derived, FixedVerifier(0.1))
    assert v[0].verdict == "supported" and v[0].findings == ()
    v, _, _ = judge(source, derived, FixedVerifier(0.9))
    assert [f.kind for f in v[0].findings] == ["number_changed"]


def test_features_see_a_name_moved_from_elsewhere_in_the_source():
    source = ("Officials met on Monday. Insurers received 4,120 claims in 2021. Payouts began in March. "
              "Roads were closed. The mayor, Grace Okafor, resigned.")
    derived = "Grace Okafor received 4,120 claims in 2021."
    recorder = FixedVerifier(0.0)
    src, der = segment(document_from_text(source)), segment(document_from_text(derived))
    verdicts(src, der, (Alignment((0,), (1,), 0.8, 0.8),), verifier=recorder)
    features = dict(zip(FEATURES, recorder.seen[0].features))
    # the window is source sentences 0-2; Okafor is named only in sentence 4
    assert features["novel_names"] == 0 and features["names_outside_window"] == 1
    assert features["novel_numbers"] == 0 and features["numbers_outside_window"] == 0
    assert features["similarity"] == 0.8 and features["merged_sources"] == 1.0
    assert RulesOnlyVerifier().unsupported(recorder.seen) == [0.0]


def test_logistic_verifier_is_a_standardised_logistic_model():
    model = {"name": LOGISTIC, "features": list(FEATURES), "threshold": 0.6, "bias": 0.5,
             "mean": [0.0] * len(FEATURES), "scale": [2.0] * len(FEATURES), "weights": [1.0] + [0.0] * (len(FEATURES) - 1)}

    class C:
        features = (1.0,) + (0.0,) * (len(FEATURES) - 1)

    (p,) = LogisticVerifier(model).unsupported([C()])
    assert p == pytest.approx(1 / (1 + math.exp(-(0.5 + 0.5))))
    with pytest.raises(ValueError):
        LogisticVerifier({**model, "features": ["other"]})


def test_make_verifier_falls_back_to_the_rules_for_an_embedder_with_no_fitted_model():
    assert make_verifier(RULES_ONLY, MiniLMEmbedder()).name == RULES_ONLY
    assert make_verifier(LOGISTIC, HashingEmbedder()).name == RULES_ONLY
    with pytest.raises(ValueError):
        make_verifier("nli-magic", MiniLMEmbedder())


class WordStates:
    """A stand-in TokenEncoder: one token per word, its id a hash, its state a fixed unit vector."""

    def __init__(self):
        self.asked = []

    def token_states(self, texts):
        from copydesk.align.minilm import TokenStates

        self.asked.append(list(texts))
        out = []
        for text in texts:
            words = text.split()
            ids = np.array([sum(map(ord, w)) for w in words], dtype=np.int64)
            states = np.zeros((len(words), TOKEN_DIM), np.float16)
            states[np.arange(len(words)), ids % TOKEN_DIM] = 1.0
            offsets, pos = [], 0
            for w in words:
                pos = text.index(w, pos)
                offsets.append((pos, pos + len(w)))
                pos += len(w)
            out.append(TokenStates(ids, tuple(offsets), states))
        return out


def count_model(path):
    """A stand-in token head: its logit is the claim's token count minus the window's."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch", "tokens", TOKEN_DIM]) for n in ("claim", "window")]
    inputs += [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "tokens"]) for n in ("claim_ids", "window_ids")]
    inputs += [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch", "tokens"]) for n in ("claim_mask", "window_mask")]
    nodes = [
        helper.make_node("ReduceSum", ["claim_mask", "axis"], ["claim_count"], keepdims=0),
        helper.make_node("ReduceSum", ["window_mask", "axis"], ["window_count"], keepdims=0),
        helper.make_node("Sub", ["claim_count", "window_count"], ["logit"]),
    ]
    constants = [helper.make_tensor("axis", TensorProto.INT64, [1], [1])]
    output = helper.make_tensor_value_info("logit", TensorProto.FLOAT, ["batch"])
    graph = helper.make_graph(nodes, "count", inputs, [output], constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # what every onnxruntime since 1.10 reads
    onnx.save(model, str(path))
    return path


def test_token_batch_pads_claims_and_joins_each_window():
    encoder = WordStates()
    a, b, c, d = encoder.token_states(["one two three", "four", "five six", "seven eight nine ten"])
    batch = token_batch([(a, [b, c]), (b, [d])])
    assert batch["claim"].shape == (2, 3, TOKEN_DIM) and batch["window"].shape == (2, 4, TOKEN_DIM)
    assert batch["claim_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]
    assert batch["window_mask"].tolist() == [[1, 1, 1, 0], [1, 1, 1, 1]]
    assert batch["window_ids"][0].tolist() == [*b.ids, *c.ids, -1]  # padding matches no claim token
    assert batch["claim_ids"][1].tolist() == [b.ids[0], 0, 0]
    assert np.array_equal(batch["window"][0, 1:3], c.states.astype(np.float32))


def test_token_verifier_batches_by_length_and_returns_scores_in_input_order(tmp_path):
    verifier = TokenVerifier({"threshold": 0.5}, count_model(tmp_path / "count.onnx"), WordStates())
    verifier.batch_size = 2  # lengths sorted across several batches
    pairs = [("a b c d e f", ["g"]), ("a", ["b c"]), ("a b c", ["d e f g h"]), ("a b", ["c", "d e f"])]
    expected = [len(c.split()) - sum(len(w.split()) for w in ws) for c, ws in pairs]
    assert verifier.scores(pairs) == pytest.approx([1 / (1 + math.exp(-x)) for x in expected], abs=1e-6)


def test_token_verifier_calls_a_claim_unsupported_when_a_rule_fired(tmp_path):
    verifier = TokenVerifier({"threshold": 0.5}, count_model(tmp_path / "count.onnx"), WordStates())
    recorder = FixedVerifier(0.0)
    judge("Insurers received 4,120 claims in 2021.", "Insurers received 4,210 claims in 2021.", recorder)
    retold = FixedVerifier(0.0)
    judge("Insurers received 4,120 claims in 2021.", "In 2021, insurers received 4,120 claims.", retold)
    assert not rule_fired(retold.seen[0])
    (claim,) = retold.seen
    assert verifier.unsupported([claim]) == pytest.approx(verifier.scores([(claim.derived.clean, [w.clean for w in claim.window])]))
    (changed,) = recorder.seen
    assert rule_fired(changed)
    assert verifier.unsupported([changed]) == [1.0]


def test_a_missing_token_verifier_file_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="missing"):
        TokenVerifier({"threshold": 0.5}, tmp_path / "nothing.onnx", WordStates())


def test_make_verifier_uses_the_token_verifier_only_with_an_embedder_that_has_token_states():
    assert make_verifier(TOKEN_VERIFIER, HashingEmbedder()).name == RULES_ONLY
    assert make_verifier(TOKEN_VERIFIER, CachedEmbedder(MiniLMEmbedder())).name == TOKEN_VERIFIER


def test_a_sentence_copied_word_for_word_is_supported_without_tagging_or_verifying():
    class CountingTagger:
        def __init__(self):
            self.seen = []

        def tag(self, texts):
            self.seen += list(texts)
            return [[] for _ in texts]

    source = "Insurers received 4,120 claims in 2021. The mayor resigned on Friday."
    derived = "Insurers received 4,120 claims in 2021. The mayor resigned on Monday."
    src, der = segment(document_from_text(source)), segment(document_from_text(derived))
    tagger, verifier = CountingTagger(), FixedVerifier(0.9)
    alignments = (Alignment((0,), (0,), 1.0, 1.0), Alignment((1,), (1,), 0.9, 0.9))
    copied, changed = verdicts(src, der, alignments, tagger, verifier)
    assert copied.verdict == "supported" and copied.findings == () and copied.verifier_score is None
    assert changed.verdict == "distorted"
    assert "Insurers received 4,120 claims in 2021." not in tagger.seen
    assert [c.derived.index for c in verifier.seen] == [1]


@pytest.mark.model
def test_the_token_verifier_blames_the_changed_word_and_points_into_the_source():
    from copydesk.settings import Settings

    settings = Settings.load(verifier=TOKEN_VERIFIER)
    verifier = make_verifier(TOKEN_VERIFIER, make_embedder(settings))
    verifier.threshold = 0.0  # every aligned sentence goes to the verifier's finding
    v, src, der = judge("Jordan Henderson has signed a new five-year deal at Anfield.",
                        "Jordan Henderson has rejected a new five-year deal at Anfield.", verifier)
    (finding,) = v[0].findings
    assert finding.kind == "meaning_changed"
    assert der.text[slice(*finding.derived_span)] == "rejected"
    assert src.text[slice(*finding.source_span)] in src.text.split(" ")[:-1] + ["Anfield"]
    copy, shortened = verifier.scores([("Jordan Henderson has signed a deal at Anfield.", [src.text]),
                                       ("Jordan Henderson has rejected a deal at Anfield.", [src.text])])
    assert copy < shortened
