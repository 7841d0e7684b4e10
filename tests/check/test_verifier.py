"""The verifier decides whether an aligned sentence is supported; the rules name the kind."""

import math

import pytest

from copydesk.check import verdicts
from copydesk.check.verifier import (
    FEATURES,
    CrossEncoderVerifier,
    LogisticVerifier,
    RulesOnlyVerifier,
    make_verifier,
    rule_fired,
)
from copydesk.errors import ModelError
from copydesk.ingest import document_from_text
from copydesk.models import Alignment
from copydesk.segment import segment
from copydesk.settings import LOGISTIC, RULES_ONLY


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
    v, src, der = judge("The council approved the plan on Monday.", "The council rejected the plan on Monday.", FixedVerifier(0.9))
    assert v[0].verdict == "distorted" and v[0].verifier_score == 0.9
    (finding,) = v[0].findings
    assert finding.kind == "meaning_changed" and "0.90" in finding.explanation
    assert src.text[slice(*finding.source_span)] == "The council approved the plan on Monday."
    assert der.text[slice(*finding.derived_span)] == "The council rejected the plan on Monday."


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
    assert make_verifier(RULES_ONLY, "all-MiniLM-L6-v2").name == RULES_ONLY
    assert make_verifier(LOGISTIC, "hashing-fake").name == RULES_ONLY
    with pytest.raises(ValueError):
        make_verifier("nli-magic", "all-MiniLM-L6-v2")


def length_model(path):
    """A stand-in cross-encoder: its logit is the pair's token count minus 10."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    names = ("input_ids", "attention_mask", "token_type_ids")
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "tokens"]) for n in names]
    nodes = [
        helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("ReduceSum", ["mask", "axis"], ["count"], keepdims=1),
        helper.make_node("Sub", ["count", "ten"], ["logits"]),
    ]
    constants = [helper.make_tensor("axis", TensorProto.INT64, [1], [1]), helper.make_tensor("ten", TensorProto.FLOAT, [], [10.0])]
    output = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1])
    graph = helper.make_graph(nodes, "length", inputs, [output], constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # what every onnxruntime since 1.10 reads
    onnx.save(model, str(path))
    return path


def test_cross_encoder_pads_per_batch_and_returns_scores_in_input_order(tmp_path):
    verifier = CrossEncoderVerifier({"threshold": 0.5, "max_tokens": 40}, length_model(tmp_path / "length.onnx"))
    verifier.batch_size = 2  # lengths sorted across several batches
    pairs = [("A long window of source text that goes on and on for a while.", "Short."),
             ("Window.", "Claim."),
             ("A middling window here.", "A middling claim here too."),
             ("Window.", "A claim that is a good deal longer than its window.")]
    tokens = [len(verifier.tokenizer.encode(*p).ids) for p in pairs]
    assert len(set(tokens)) == len(tokens)
    assert verifier.scores(pairs) == pytest.approx([1 / (1 + math.exp(-(n - 10))) for n in tokens], abs=1e-6)


def test_cross_encoder_truncates_the_window_not_the_claim(tmp_path):
    verifier = CrossEncoderVerifier({"threshold": 0.5, "max_tokens": 40}, length_model(tmp_path / "length.onnx"))
    encoded = verifier.tokenizer.encode("word " * 1000, "The claim itself stays whole.")
    assert len(encoded.ids) == verifier.max_tokens
    assert verifier.tokenizer.decode([i for i, t in zip(encoded.ids, encoded.type_ids) if t == 1]).startswith(
        "the claim itself stays whole")


def test_cross_encoder_calls_a_claim_unsupported_when_a_rule_fired(tmp_path):
    verifier = CrossEncoderVerifier({"threshold": 0.5, "max_tokens": 40}, length_model(tmp_path / "length.onnx"))
    recorder = FixedVerifier(0.0)
    judge("Insurers received 4,120 claims in 2021.", "Insurers received 4,210 claims in 2021.", recorder)
    retold = FixedVerifier(0.0)
    judge("Insurers received 4,120 claims in 2021.", "In 2021, insurers received 4,120 claims.", retold)
    assert not rule_fired(retold.seen[0])
    assert verifier.unsupported(retold.seen) == pytest.approx(verifier.scores([("Insurers received 4,120 claims in 2021.",
                                                                               "In 2021, insurers received 4,120 claims.")]))
    (changed,) = recorder.seen
    assert rule_fired(changed)
    assert verifier.unsupported([changed]) == [1.0]


def test_a_missing_cross_encoder_file_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="missing"):
        CrossEncoderVerifier({"threshold": 0.5, "max_tokens": 40}, tmp_path / "nothing.onnx")



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
