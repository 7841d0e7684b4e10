import json

import jinja2
import numpy as np
import pytest

from copydesk_eval.alignment import PairSignals, calibrate, prf
from copydesk_eval.datasets import mrpc
from copydesk_eval.harness import below_floors


def test_prf_counts():
    m = prf(np.array([True, True, False, False]), np.array([True, False, True, False]))
    assert (m["precision"], m["recall"], m["accuracy"], m["balanced_accuracy"]) == (0.5, 0.5, 0.5, 0.5)


def test_calibrate_finds_the_separating_threshold():
    mrpc_dev = PairSignals(np.array([0.9, 0.8, 0.4, 0.3]), np.zeros(4), np.array([1, 1, 0, 0]))
    retelling = [
        PairSignals(np.array([0.85, 0.2]), np.zeros(2), np.array([1, 1])),
        PairSignals(np.array([0.35, 0.1]), np.zeros(2), np.array([0, 0])),
    ]
    threshold, weight, score = calibrate(mrpc_dev, retelling)
    assert 0.4 < threshold <= 0.8 and score == 1.0


def test_below_floors_reports_each_failure():
    results = {"alignment": {"mrpc_test": {"f1": 0.7, "precision": 0.9}}}
    failures = below_floors(results, {"alignment.mrpc_test.f1": 0.8, "alignment.mrpc_test.precision": 0.8,
                                      "alignment.mrpc_test.recall": 0.5, "tracing.x.y": 0.5})
    assert failures == ["alignment.mrpc_test.f1: 0.7000 is below the floor 0.8", "alignment.mrpc_test.recall: not measured (floor 0.5)"]


def test_mrpc_loader_reads_quotes_verbatim(shared_data):
    pairs = mrpc(shared_data, "test")
    assert len(pairs) == 1388 and sum(p.label for p in pairs) == 926
    assert any('"' in p.a for p in pairs)


def test_ci_mode_skips_floors_of_sets_it_does_not_run_but_checks_the_rest():
    results = {"claims": {"bump": {"balanced_accuracy": 0.5}}}
    floors = {"claims.bump.balanced_accuracy": 0.6, "claims.frank_cnndm.balanced_accuracy": 0.6}
    assert below_floors(results, floors, ci=True) == ["claims.bump.balanced_accuracy: 0.5000 is below the floor 0.6"]
    assert len(below_floors(results, floors)) == 2  # the full run must measure FRANK too


def test_claims_markdown_reports_each_set_and_peers():
    from copydesk_eval.report import section

    row = {"n": 10, "unfaithful": 6, "balanced_accuracy": 0.625, "split": "test", "detection_by_error_type": {"Entity": {"n": 3, "detected": 2 / 3}},
           "false_alarm_examples": [{"summary": "A summary", "why": "number_changed: x"}], "missed_examples": []}
    text = section("claims", {"bump": row, "peers": {"bump": {"SummaC": 0.545}, "frank": {}}})
    assert "| BUMP (Ma et al. 2023) |" in text and "**62.5**" in text
    assert "| SummaC | 54.5 |" in text and "Entity 66.7% (n=3)" in text


def test_ci_mode_skips_the_full_tracing_run_only():
    results = {"tracing": {"fast_subset": {"all": {"source_recall_at_5": 80.0}}}, "generated": {"fast": {"x": 50.0}}}
    floors = {"tracing.fast_subset.all.source_recall_at_5": 85.0, "tracing.default.all.source_recall_at_5": 90.0,
              "generated.fast.x": 60.0, "generated.default.x": 60.0}
    assert below_floors(results, floors, ci=True) == [
        "tracing.fast_subset.all.source_recall_at_5: 80.0000 is below the floor 85.0",
        "generated.fast.x: 50.0000 is below the floor 60.0",
    ]
    full = below_floors(results, floors)
    assert "tracing.default.all.source_recall_at_5: not measured (floor 90.0)" in full
    assert "generated.default.x: not measured (floor 60.0)" in full


def test_tracing_markdown_states_split_baseline_and_worst_cases():
    from copydesk_eval.report import section

    figures = {"queries": 5, "minhash_only_top1": 20.0, "candidate_recall_at_1": 80.0, "candidate_recall_at_5": 100.0,
               "candidate_recall_at_10": 100.0, "source_recall_at_1": 60.0, "source_recall_at_5": 80.0,
               "source_recall_at_5_interval": [37.6, 96.4], "others_listed_mean": 2.4, "direction_decided": 100.0,
               "direction_accuracy": 100.0, "missed_at_5": 1, "missed_not_candidates": 0}
    run = {"articles": 9, "all": figures, "paraphrased": {**figures, "queries": 3}, "relation_pairs": 8,
           "relation_accuracy": 75.0, "relation_recall": {k: 50.0 for k in ("verbatim_copy", "light_edit", "paraphrase", "unrelated")},
           "relation_precision": {k: 50.0 for k in ("verbatim_copy", "light_edit", "paraphrase", "unrelated")},
           "relation_confusion": {"paraphrase->same_event": 1, "paraphrase->paraphrase": 1}, "independent_pairs": 4,
           "independent_false_copy": 25.0, "independent_relations": {"paraphrase": 1, "unrelated": 3},
           "worst_retrievals": [{"summary": "A lost summary", "article": "k1", "found": None}], "embedder": "x"}
    text = section("tracing", {"fast_subset": run})
    assert "test half" in text and "MinHash-only" in text
    assert "A lost summary" in text and "paraphrase->same_event 1" in text
    assert "| 20.0 |" in text and "**60.0 / 80.0** | 37.6–96.4 | 2.4 |" in text and "25.0% of 4" in text
    assert "1 of 3 paraphrased summaries do not find their article in the first five; for 0 of" in text
    assert "(552341f)" in text  # a figure measured once comes from eval/history.json, with its commit
    del run["paraphrased"]["missed_at_5"]
    with pytest.raises(jinja2.UndefinedError):  # a figure missing from the results fails, not renders blank
        section("tracing", {"fast_subset": run})


def test_wilson_interval_brackets_the_rate_and_narrows_with_more_queries():
    from copydesk_eval.tracing import wilson_interval

    assert wilson_interval(4, 5) == (37.6, 96.4)  # the textbook value for 4 of 5
    low, high = wilson_interval(203, 215)
    assert low < 100 * 203 / 215 < high and high - low < 7
    assert wilson_interval(2030, 2150)[1] - wilson_interval(2030, 2150)[0] < (high - low) / 3
    assert wilson_interval(5, 5)[1] == 100.0 and wilson_interval(0, 0) == (0.0, 0.0)


def test_eval_command_names_what_is_missing(tmp_path):
    from typer.testing import CliRunner

    from copydesk_eval.__main__ import app

    result = CliRunner().invoke(app, ["--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "nowhere: no such folder" in result.stderr
    result = CliRunner().invoke(app, ["--data", str(tmp_path), "--only", "alignment", "--root", str(tmp_path)])
    assert result.exit_code == 2 and "dataset not found" in result.stderr and "Traceback" not in result.output
    result = CliRunner().invoke(app, ["--data", str(tmp_path), "--only", "nonsense"])
    assert result.exit_code == 2 and "unknown evaluator nonsense" in result.stderr


def test_word_overlap_counts_majority_marked_words():
    from copydesk_eval.claims import word_overlap

    text = "the mayor of tull opened a bridge"
    annotators = [[(4, 9)], [(4, 17)], [(26, 32)]]  # "mayor" twice, "of tull" once, "bridge" once
    counts = word_overlap(text, [(0, 9)], annotators)
    assert counts == {"tp": 1, "fp": 1, "tn": 5}  # "mayor" right, "the" a false flag
    assert word_overlap(text, [], annotators)["fn"] == 1


def test_taggers_markdown_has_a_row_per_tagger_and_the_dev_set_sizes():
    from copydesk.settings import CAPITALISED, SPACY_NER
    from copydesk_eval.report import section

    figures = {"n": {"bump": 449, "frank_xsum": 224}, SPACY_NER: {"bump": 0.535, "frank_xsum": 0.615},
               CAPITALISED: {"bump": 0.532, "frank_xsum": 0.544}}
    text = section("taggers", figures)
    assert "BUMP (Ma et al. 2023), dev (449)" in text and "FRANK XSum, dev (224)" in text
    assert f"| `{SPACY_NER}` | 53.5 | 61.5 |" in text and f"| `{CAPITALISED}` | 53.2 | 54.4 |" in text


def test_ci_runs_leave_the_tagger_comparison_out(monkeypatch, tmp_path):
    from copydesk_eval import harness

    ran = []
    for name in harness.EVALUATORS:
        monkeypatch.setitem(harness.EVALUATORS, name, lambda *a, name=name, **k: ran.append(name) or {})
    monkeypatch.setattr(harness, "make_embedder", lambda settings: None)
    harness.run(tmp_path, ci=True)
    assert ran == list(harness.CI_EVALUATORS)
    ran.clear()
    harness.run(tmp_path)
    assert "taggers" in ran


def test_relation_figures_read_recall_by_gold_and_precision_by_prediction():
    from collections import Counter

    from copydesk_eval.tracing import relation_figures

    confusion = Counter({("paraphrase", "paraphrase"): 3, ("paraphrase", "same_event"): 1, ("light_edit", "paraphrase"): 2})
    figures = relation_figures(confusion, ("paraphrase", "light_edit"))
    assert figures["relation_recall"] == {"paraphrase": 75.0, "light_edit": 0.0}
    assert figures["relation_precision"] == {"paraphrase": 60.0, "light_edit": 0.0}
    assert figures["relation_confusion"]["paraphrase->same_event"] == 1


def test_a_ceiling_fails_when_a_false_alarm_rate_is_above_it():
    results = {"retold": {"default": {"faithful_distorted_share": 0.08, "drifts_caught": 0.9}}}
    floors = {"retold.default.faithful_distorted_share": {"max": 0.05}, "retold.default.drifts_caught": {"max": 0.95}}
    assert below_floors(results, floors) == ["retold.default.faithful_distorted_share: 0.0800 is above the ceiling 0.05"]


def test_a_missing_floors_file_fails_and_floors_not_held_are_listed(tmp_path, monkeypatch):
    from copydesk_eval import harness

    monkeypatch.setattr(harness, "run", lambda data_dir, only, ci: {"claims": {"bump": {"balanced_accuracy": 0.6}}})
    _, failures, _, _ = harness.evaluate_and_write(tmp_path, tmp_path, ci=True, check_floors=True)
    assert failures == [f"{tmp_path / 'eval' / 'floors.json'}: missing, so no floor was checked"]
    (tmp_path / "eval" / "floors.json").write_text(json.dumps({
        "claims.bump.balanced_accuracy": 0.55, "claims.frank_xsum.balanced_accuracy": 0.5,
        "tracing.default.all.source_recall_at_5": 90.0, "claims.summedits_news.balanced_accuracy": 0.5}))
    _, failures, checked, not_held = harness.evaluate_and_write(tmp_path, tmp_path, ci=True, check_floors=True)
    assert failures == ["claims.summedits_news.balanced_accuracy: not measured (floor 0.5)"]
    assert checked == ["claims.bump.balanced_accuracy", "claims.summedits_news.balanced_accuracy"]
    assert not_held == ["claims.frank_xsum.balanced_accuracy", "tracing.default.all.source_recall_at_5"]
