"""Run the evaluators, write eval/results.json and docs/EVALUATION.md."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from copydesk.align.embedder import Embedder, make_embedder
from copydesk.settings import ENTITY_TAGGERS, FAST, STATIC, VERIFIERS, Settings, calibration
from copydesk_eval import alignment, claims, corruptions, datasets, generated, peers, provenance, retold, tracing
from copydesk_eval.report import CI_TRACING_QUERIES, CLAIM_SET_NAMES, markdown, readme


def _alignment_figures(data_dir: Path, embedder: Embedder, settings: Settings) -> dict[str, Any]:
    test = datasets.mrpc(data_dir, "test")
    articles = [a for a in datasets.bump_references(data_dir) if not alignment.is_dev_article(a.id)]
    return {
        "mrpc_test": {
            **alignment.evaluate_pairs(alignment.pair_signals(test, embedder), settings),
            "split": "test (threshold fit on train)",
        },
        "bump_retelling": {
            **alignment.evaluate_retelling(articles, embedder, settings),
            "articles": len(articles),
            "split": "test half by article-id hash",
        },
    }


def evaluate_alignment(data_dir: Path, embedder: Embedder, settings: Settings, ci: bool = False) -> dict[str, Any]:
    """Figures for the default embedder, and under "fast" for the static one (`--fast`)."""
    started = time.time()
    figures = _alignment_figures(data_dir, embedder, settings)
    fast = Settings.load(**FAST)
    figures["fast"] = {**_alignment_figures(data_dir, make_embedder(fast), fast), "settings": fast.to_dict()}
    figures["seconds"] = round(time.time() - started, 1)
    return figures


# The quick subset `make eval-check` runs (--ci); CI itself runs the whole evaluation (make eval).
CI_CLAIM_SETS = ("bump", "summedits_news")


def evaluate_claims(data_dir: Path, embedder: Embedder, settings: Settings, ci: bool = False) -> dict[str, Any]:
    """Summary-level faithfulness on each human-labelled dataset (nothing is fit on these)."""
    started = time.time()
    sets = {
        "bump": ([x for x in datasets.bump_pairs(data_dir) if not alignment.is_dev_article(x.article_id)],
                 "test half by article-id hash (the other half took part in alignment calibration)"),
        "summedits_news": (datasets.summedits_news(data_dir), "all 717 (evaluation + test splits)"),
        "frank_cnndm": ([x for x in datasets.frank(data_dir) if x.split == "cnndm/test"], "FRANK's test split, CNN/DM part"),
        "frank_xsum": ([x for x in datasets.frank(data_dir) if x.split == "bbc/test"], "FRANK's test split, XSum (BBC) part"),
        "xsumfaith": (datasets.xsumfaith(data_dir), "the 196 articles whose text FRANK ships (980 summaries)"),
    }
    figures: dict[str, Any] = {}
    for name, (items, split) in sets.items():
        if not ci or name in CI_CLAIM_SETS:
            figures[name] = {**claims.evaluate_summaries(items, embedder, settings), "split": split}
    figures["peers"] = {"frank": peers.frank_peers(data_dir), "bump": peers.bump_peers(data_dir)}
    test_articles = [a for a in datasets.bump_references(data_dir) if not alignment.is_dev_article(a.id)]
    figures["corruptions"] = corruptions.evaluate_corruptions(test_articles[: corruptions.ARTICLES], embedder, settings)
    figures["seconds"] = round(time.time() - started, 1)
    return figures


def evaluate_taggers(data_dir: Path, embedder: Embedder, settings: Settings, ci: bool = False) -> dict[str, Any]:
    """How the entity tagger was chosen: claim-check BAcc with each tagger on the dev splits only
    (BUMP dev half, FRANK valid), with static embeddings so that both runs are cheap."""
    started = time.time()
    frank = datasets.frank(data_dir)
    sets = {
        "bump": [x for x in datasets.bump_pairs(data_dir) if alignment.is_dev_article(x.article_id)],
        "frank_cnndm": [x for x in frank if x.split == "cnndm/valid"],
        "frank_xsum": [x for x in frank if x.split == "bbc/valid"],
    }
    figures: dict[str, Any] = {"n": {name: len(items) for name, items in sets.items()}}
    for tagger in ENTITY_TAGGERS:
        chosen = Settings.load(embedder=STATIC, entity_tagger=tagger)
        static = make_embedder(chosen)
        figures[tagger] = {name: claims.evaluate_summaries(items, static, chosen)["balanced_accuracy"] for name, items in sets.items()}
    figures["seconds"] = round(time.time() - started, 1)
    return figures


# The fast subset looks up this many summaries, confirming with the static embedder (about a minute).


def evaluate_tracing(data_dir: Path, embedder: Embedder, settings: Settings, ci: bool = False) -> dict[str, Any]:
    """Source retrieval, direction and relations (nothing is fit on these).

    "fast_subset" (CI): the first CI_TRACING_QUERIES summaries, confirmed with static embeddings;
    "default" (make eval only): every summary, confirmed with the configured embedder."""
    started = time.time()
    fast = Settings.load(**FAST)
    figures: dict[str, Any] = {
        "fast_subset": tracing.evaluate_tracing(data_dir, make_embedder(fast), fast, CI_TRACING_QUERIES)
    }
    if not ci:
        figures["default"] = tracing.evaluate_tracing(data_dir, embedder, settings)
    figures["seconds"] = round(time.time() - started, 1)
    return figures


def evaluate_provenance(data_dir: Path, embedder: Embedder, settings: Settings, ci: bool = False) -> dict[str, Any]:
    """The retold set's sources found and trees drawn, alone and among real distractors: "fast" (CI)
    with static embeddings, "default" (make eval only) with the configured embedder."""
    started = time.time()
    fast = Settings.load(**FAST)
    figures: dict[str, Any] = {"fast": provenance.evaluate_provenance(data_dir, make_embedder(fast), fast)}
    if not ci:
        figures["default"] = provenance.evaluate_provenance(data_dir, embedder, settings)
    figures["seconds"] = round(time.time() - started, 1)
    return figures


# Articles in the generated tracing corpus (planted families plus distractors); any size works.
GENERATED_SIZE = 2000


def evaluate_generated(data_dir: Path, embedder: Embedder, settings: Settings, ci: bool = False) -> dict[str, Any]:
    """Planted retellings among distractors: "fast" (CI) with static embeddings, "default" (make eval only)
    with the configured embedder."""
    started = time.time()
    fast = Settings.load(**FAST)
    figures: dict[str, Any] = {"fast": generated.evaluate_generated(data_dir, make_embedder(fast), fast, GENERATED_SIZE)}
    if not ci:
        figures["default"] = generated.evaluate_generated(data_dir, embedder, settings, GENERATED_SIZE)
    figures["seconds"] = round(time.time() - started, 1)
    return figures


def faithful_sets(data_dir: Path, ci: bool = False) -> dict[str, tuple[list[datasets.LabelledSummary], str]]:
    """Summaries people judged faithful, on test splits only: where every finding is a false alarm."""
    bump = {(x.article_id, x.summary): x for x in datasets.bump_pairs(data_dir)
            if not x.unfaithful and not alignment.is_dev_article(x.article_id)}
    sets = {"bump_references": (list(bump.values()), "BUMP reference summaries, test half")}
    if not ci:
        sets["frank_factual"] = ([x for x in datasets.frank(data_dir) if not x.unfaithful and x.split.endswith("/test")],
                                 "FRANK summaries every annotator marked fully factual, test split")
    return sets


VERIFIER_MEASURES = ("drifts_caught", "drifts_right_kind", "faithful_distorted_share", "additions_unsupported")


def evaluate_retold(data_dir: Path, embedder: Embedder, settings: Settings, ci: bool = False) -> dict[str, Any]:
    """The retold set (development data: nothing is fit on it, but the rules were read against it),
    false alarms on real faithful summaries, and per-kind precision over both."""
    started = time.time()
    pairs = retold.load(data_dir)
    figures: dict[str, Any] = {"default": retold.evaluate_retold(pairs, embedder, settings)}
    faithful = {}
    for name, (items, split) in faithful_sets(data_dir, ci).items():
        faithful[name] = {**retold.faithful_findings(items, embedder, settings), "split": split}
    figures["faithful_text"] = faithful
    figures["kind_precision"] = retold.kind_precision(figures["default"], list(faithful.values()))
    # The verifiers side by side on the retold set (how the default was chosen).
    figures["verifiers"], figures["default_verifier"] = {}, settings.verifier
    for name in VERIFIERS:
        chosen = replace(settings, verifier=name)
        scored = figures["default"] if name == settings.verifier else retold.evaluate_retold(pairs, embedder, chosen)
        figures["verifiers"][name] = {k: scored[k] for k in VERIFIER_MEASURES}
    figures["seconds"] = round(time.time() - started, 1)
    return figures


EVALUATORS: dict[str, Callable[..., dict[str, Any]]] = {
    "alignment": evaluate_alignment,
    "claims": evaluate_claims,
    "tracing": evaluate_tracing,
    "generated": evaluate_generated,
    "taggers": evaluate_taggers,
    "retold": evaluate_retold,
    "provenance": evaluate_provenance,
}
# The tagger choice is documented, not guarded: the quick subset leaves it out.
CI_EVALUATORS = ("alignment", "claims", "tracing", "generated", "retold", "provenance")


def run(data_dir: Path, only: list[str] | None = None, ci: bool = False) -> dict[str, Any]:
    from copydesk import __version__

    settings = Settings.load()
    embedder = make_embedder(settings)
    results: dict[str, Any] = {
        "copydesk_version": __version__,
        "settings": settings.to_dict(),
        "calibration": calibration(),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
    }
    for name, evaluator in EVALUATORS.items():
        if (only is None or name in only) and (not ci or name in CI_EVALUATORS):
            results[name] = evaluator(data_dir, embedder, settings, ci=ci)
    return results


def write(results: dict[str, Any], root: Path) -> None:
    """Write results; evaluators not run this time keep their previous figures."""
    (root / "eval").mkdir(exist_ok=True)
    previous_path = root / "eval" / "results.json"
    if previous_path.exists():
        previous = json.loads(previous_path.read_text())
        results = {**{k: v for k, v in previous.items() if k in EVALUATORS}, **results}
    stored = json.dumps(results, indent=2, sort_keys=True)
    results = json.loads(stored)  # the docs render from the results as stored (key order included), as the tests do
    (root / "eval" / "results.json").write_text(stored + "\n")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "EVALUATION.md").write_text(markdown(results, root))
    readme_path = root / "README.md"
    if readme_path.exists() and all(k in results for k in ("alignment", "claims", "retold")) and "default" in results.get("tracing", {}):
        readme_path.write_text(readme(results, readme_path.read_text()))  # its summary blocks


def floor_checked(key: str, results: dict[str, Any], ci: bool) -> bool:
    """Whether this run holds the floor `key`: its evaluator ran, and in the quick subset (ci) it is one
    that subset measures (it leaves out the claim sets outside CI_CLAIM_SETS and the runs with the
    configured embedder)."""
    parts = key.split(".")
    if parts[0] not in results:
        return False
    if ci and parts[0] == "claims" and parts[1] in CLAIM_SET_NAMES and parts[1] not in CI_CLAIM_SETS:
        return False
    return not (ci and parts[0] in ("tracing", "generated", "provenance") and parts[1] == "default")


def below_floors(results: dict[str, Any], floors: dict[str, Any], ci: bool = False) -> list[str]:
    """Each 'task.dataset.metric' whose measured value is under its floor (or missing), among the
    floors this run holds (floor_checked)."""
    failures = []
    for key, floor in floors.items():
        parts = key.split(".")
        if not floor_checked(key, results, ci):
            continue
        value: Any = results
        for part in parts:
            value = value.get(part) if isinstance(value, dict) else None
        # A floor is a minimum; {"max": x} is a ceiling (for rates of false alarms).
        ceiling = floor.get("max") if isinstance(floor, dict) else None
        if value is None:
            failures.append(f"{key}: not measured (floor {floor})")
        elif ceiling is not None and value > ceiling:
            failures.append(f"{key}: {value:.4f} is above the ceiling {ceiling}")
        elif ceiling is None and value < floor:
            failures.append(f"{key}: {value:.4f} is below the floor {floor}")
    return failures


def evaluate_and_write(
    data_dir: Path, root: Path, only: list[str] | None = None, ci: bool = False, check_floors: bool = False
) -> tuple[dict[str, Any], list[str], list[str], list[str]]:
    """`make eval` / `python -m copydesk_eval`: run, write under `root`; the floors missed, those this run
    checked, and those it does not hold (see floor_checked).

    With ci=True the results go to eval/results-ci.json and the documented results are left alone."""
    results = run(data_dir, only, ci=ci)
    if ci:
        (root / "eval").mkdir(exist_ok=True)
        (root / "eval" / "results-ci.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    else:
        write(results, root)
    failures: list[str] = []
    checked: list[str] = []
    not_held: list[str] = []
    if check_floors:
        floors_path = root / "eval" / "floors.json"
        if not floors_path.exists():
            return results, [f"{floors_path}: missing, so no floor was checked"], [], []
        floors = json.loads(floors_path.read_text())
        failures = below_floors(results, floors, ci=ci)
        checked = [k for k in floors if floor_checked(k, results, ci)]
        not_held = [k for k in floors if k not in checked]
    return results, failures, checked, not_held
