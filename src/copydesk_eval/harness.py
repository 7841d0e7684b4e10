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
from copydesk_eval.corrupt import KINDS

# Published figures on the same data, cited in the report.
MRPC_PEERS = [
    ("Majority class (always 'paraphrase')", "79.9", "66.5", "MRPC test label balance (Dolan & Brockett 2005)"),
    ("BERT-base, fine-tuned on MRPC train", "88.9", "84.8", "Devlin et al. 2019, GLUE test server"),
]


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
CI_TRACING_QUERIES = 150


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


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def markdown(results: dict[str, Any], root_dir: Path = Path(".")) -> str:
    s = results["settings"]
    lines = [
        "# Evaluation",
        "",
        "Generated by `make eval` (`python -m copydesk_eval`) from the labelled data in `../shared/data`;",
        "do not edit by hand. Machine-readable figures: `eval/results.json`. Floors enforced in CI: `eval/floors.json`.",
        "",
        f"copydesk {results['copydesk_version']} · embedder {s['embedder']} · match_threshold {s['match_threshold']}"
        f" · anchor_weight {s['anchor_weight']} · merge_gain {s['merge_gain']} · split_margin {s['split_margin']}",
        "(every setting is in `eval/results.json`).",
        "",
        "| dataset (`../shared/data`) | size here | licence | used for | dev / test |",
        "|---|---|---|---|---|",
        "| MRPC (Dolan & Brockett 2005) | 3,267 train + 1,388 test pairs (as stored) | MSR-SSLA, non-commercial | alignment | train fits the threshold / test |",
        "| BUMP (Ma et al. 2023) | 749 pairs, 163 articles | MIT | alignment, claim check, tracing | half of the articles by id hash / the other half |",
        "| SummEdits news (Laban et al. 2023) | 717 summaries, 22 articles | Apache-2.0 | claim check | none fit / all |",
        "| FRANK (Pagnoni et al. 2021) | 1,791 summaries, 397 articles | MIT | claim check, tracing | FRANK's valid split (peers' thresholds) / test split; tracing as BUMP |",
        "| XSumFaith (Maynez et al. 2020) | 2,025 summaries; 980 with article text | CC BY 4.0 | claim check, flagged spans | none fit / all |",
        "",
    ]
    # Each evaluator's section, in reading order, where it ran; the splitter comparison reads its own file.
    sections = (("alignment", alignment_markdown), ("claims", claims_markdown), ("retold", retold_markdown),
                ("splitters", None), ("taggers", taggers_markdown), ("tracing", tracing_markdown),
                ("generated", generated_markdown), ("provenance", provenance_markdown))
    for key, render in sections:
        if render is None:
            lines += splitters_markdown(root_dir)
        elif key in results:
            lines += render(results[key])
    return "\n".join(lines)


def alignment_markdown(a: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    m, r = a["mrpc_test"], a["bump_retelling"]
    lines += [
        "## Alignment",
        "",
        "### MRPC: is one newswire sentence a retelling of another?",
        "",
        "Microsoft Research Paraphrase Corpus (Dolan & Brockett 2005; MSR-SSLA licence, non-commercial).",
        "Threshold and anchor weight fit on the dev splits only (MRPC train + the dev half of the retelling set;",
        "`scripts/calibrate_alignment.py`, result in `src/copydesk/calibration.json`);",
        f"figures below are on the test split as stored here ({m['n']:,} pairs). Score = (1 − w)·cosine + w·anchor overlap.",
        "MRPC's raters saw numbers and dates masked, so its labels ignore figure mismatches (the claim check handles those).",
        "",
        "| system | F1 | accuracy | balanced acc. | precision | recall | notes |",
        "|---|---|---|---|---|---|---|",
        f"| **copydesk** (MiniLM + anchors, no training on MRPC) | **{_pct(m['f1'])}** | {_pct(m['accuracy'])}"
        f" | {_pct(m['balanced_accuracy'])} | {_pct(m['precision'])} | {_pct(m['recall'])} | CPU, offline |",
    ]
    fm = a["fast"]["mrpc_test"]
    lines.append(
        f"| copydesk `--fast` (static embeddings distilled from MiniLM) | {_pct(fm['f1'])} | {_pct(fm['accuracy'])}"
        f" | {_pct(fm['balanced_accuracy'])} | {_pct(fm['precision'])} | {_pct(fm['recall'])}"
        f" | threshold {a['fast']['settings']['match_threshold']} |"
    )
    for name, f1, acc, cite in MRPC_PEERS:
        lines.append(f"| {name} | {f1} | {acc} | | | | {cite}; full 1,725-pair test set |")
    lines += [
        "",
        "Where we stand: our threshold is set for *retelling* (does the derived sentence come from this one?),",
        "not MRPC's *equivalence*. MRPC's 'not equivalent' pairs are mostly same-story sentences that share",
        "much content; we align most of them (high recall, low precision) and leave what changed to the claim",
        "check. As a plain paraphrase classifier this is barely above the majority baseline and well below a",
        "model fine-tuned on MRPC.",
    ]
    lines += [
        "",
        "### Retelling: are human summary sentences backed by their own article?",
        "",
        f"BUMP's reference summaries of {r['articles']} CNN/DM articles (Ma et al. 2023; MIT). Each summary sentence is",
        "aligned with the full aligner (datelines, merges, splits) against its own article (should be backed) and",
        "against a different article picked by a fixed hash (should not be). Figures are on the test half of the",
        "articles (split by a hash of the article id); the dev half took part in calibration.",
        "",
        "| embedder | sentences | precision | recall | F1 | accuracy | balanced acc. |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, row in (("MiniLM (default)", r), ("static (`--fast`)", a["fast"]["bump_retelling"])):
        lines.append(
            f"| {label} | {row['n']:,} | {_pct(row['precision'])} | {_pct(row['recall'])} | {_pct(row['f1'])}"
            f" | {_pct(row['accuracy'])} | {_pct(row['balanced_accuracy'])} |"
        )
    lines += [
        "",
        "No published system reports this exact task; it is our own construction from BUMP's files.",
        "",
        "Worst cases (MiniLM):",
        "",
    ]
    lines += [f"- missed, though its own article backs it: “{t}”" for t in r.get("missed_examples", [])[:3]]
    lines += [f"- backed by an unrelated article: “{t}”" for t in r.get("wrongly_backed_examples", [])[:3]]
    lines.append("")
    return lines


RETOLD_GOALS = "drifts caught ≥ 85%, right kind ≥ 65%, faithful sentences distorted ≤ 5%, additions unsupported ≥ 90%, boilerplate set aside ≥ 95%, same story 24/24"


def retold_markdown(r: dict[str, Any]) -> list[str]:
    d = r["default"]
    lines = [
        "## Claim check on realistic retellings (`retold/`)",
        "",
        f"{d['pairs']} pairs: 12 real CNN/Daily Mail articles (half stored as scraped, glued text), each with a hand-written",
        "AI-style retelling carrying 6 planted drifts, filler, an invented claim and site chrome, and a faithful credited",
        "rewrite. Scored as the set's README says. **This is development data**: the segmentation and finding rules",
        "were read against it (its false alarms and misses), so these figures are optimistic; a held-out set of the same",
        f"kind checks the work. Goals (issue #19): {RETOLD_GOALS}.",
        "",
        "The examples read to change the rules came from this set and the dev splits (BUMP dev half, FRANK valid) only.",
        "The per-kind counts of false alarms on the test-half faithful summaries below were seen once, in aggregate,",
        "before the rules changed, and pointed the work at hedges, numbers and names.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| planted drifts caught (sentence called distorted) | {_pct(d['drifts_caught'])}% of {d['drifts']} |",
        f"| caught with the right kind | {_pct(d['drifts_right_kind'])}% |",
        f"| sentences of the faithful rewrites called distorted | {_pct(d['faithful_distorted_share'])}% of {d['faithful_sentences']} |",
        f"| sentences of the faithful rewrites called unsupported | {_pct(d['faithful_unsupported_share'])}% |",
        f"| additions (filler, invented claim) called unsupported | {_pct(d['additions_unsupported'])}% of {d['additions']} |",
        f"| chrome, disclaimer and Related lines set aside | {_pct(d['boilerplate_set_aside'])}% of {d['boilerplate_lines']} |",
        f"| faithful sentences aligned to the right source sentence | {_pct(d['aligned_right'])}% of {d['alignment_checks']} |",
        f"| … and called supported | {_pct(d['supported_and_aligned_right'])}% |",
        f"| pairs called the same story | {d['same_story']} of {d['pairs']} |",
        "",
        "Per kind: planted drifts caught / with the right kind, and the precision of the kind's findings. A finding is",
        "right only on a sentence carrying a planted drift of its kind; every other finding of the kind is false, in the",
        "retold set and on the real faithful summaries below (so precision counts false alarms on real faithful text).",
        "",
        "| kind | planted | caught | right kind | findings right | false (retold) | false (faithful corpora) | precision |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, c in d["per_kind"].items():
        p = r["kind_precision"].get(kind, {})
        precision = "" if p.get("precision") is None else _pct(p["precision"])
        lines.append(f"| {kind} | {c['planted']} | {c['caught']} | {c['right_kind']} | {p.get('right', '')}"
                     f" | {p.get('false_retold', '')} | {p.get('false_faithful_corpora', '')} | {precision} |")
    lines += [
        "",
        "False alarms on real faithful summaries (test splits; every finding is false):",
        "",
        "| set | summaries | sentences | sentences distorted | summaries with a finding | summaries flagged (a finding or an unsupported factual sentence) | findings by kind |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, f in r["faithful_text"].items():
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(f["findings"].items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"| {f['split']} | {f['summaries']} | {f['sentences']} | {_pct(f['distorted_share'])}%"
                     f" | {_pct(f['summaries_with_finding'])}% | {_pct(f['summaries_flagged'])}% | {kinds} |")
    lines += [
        "",
        "Verifiers on the retold set (`settings.verifier`; the logistic one is fitted on dev splits by",
        "`scripts/train_verifier.py`, see `src/copydesk/verifier.json` for its dev figures):",
        "",
        "| verifier | drifts caught | right kind | faithful sentences distorted | additions unsupported |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {name}{' (default)' if name == r['default_verifier'] else ''} | {_pct(v['drifts_caught'])} | {_pct(v['drifts_right_kind'])}"
              f" | {_pct(v['faithful_distorted_share'])} | {_pct(v['additions_unsupported'])} |" for name, v in r["verifiers"].items()]
    lines += ["", "Faithful-rewrite false alarms (examples):", ""]
    lines += [f"- {x['pair']}: “{x['sentence']}” ({x['why']})" for x in d["false_alarm_examples"]]
    lines.append("")
    return lines


def splitters_markdown(root: Path) -> list[str]:
    """The base sentence splitter comparison, from eval/splitters.json (scripts/compare_splitters.py)."""
    path = root / "eval" / "splitters.json"
    if not path.exists():
        return []
    rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
    lines = [
        "## Sentence splitting on real text",
        "",
        "`scripts/compare_splitters.py`: each base splitter runs after copydesk's de-gluing pass. Fixtures are",
        "`tests/fixtures/crawl_segmentation.json` (written for copydesk, so our rules were made to pass them); the",
        "retold set's author sentences; and, for the retold set's 6 scraped sources, the sentences each splitter finds",
        "in FRANK's unglued text found again in the glued text.",
        "",
        "| splitter | fixtures | retold author sentences | scraped sources | seconds |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {x['splitter']} | {x['fixtures']} | {x['retold_author_sentences']} | {x['scraped_sources']} | {x['seconds']} |"
              for x in rows]
    def share(row: dict[str, Any]) -> float:
        return float(row["scraped_sources"].split("(")[1].rstrip("%)"))

    best = max(rows, key=share)
    ours = rows[0]
    lines += ["", "copydesk uses its own rules (the first row) as the base split."]
    if best is not ours:
        lines += [
            f"{best['splitter']} finds more of its own unglued-text sentences in the glued text ({best['scraped_sources']}"
            f" against {ours['scraped_sources']}). That column measures how well each splitter survives gluing, not",
            "whether its boundaries are right (each is compared with itself), and on the author's sentences both are",
            "exact; moving the base split to it changes every downstream figure and is left open in issue #19.",
        ]
    return lines + [""]


def _recall_precision_cells(r: dict[str, Any], kinds: tuple[str, ...]) -> str:
    return " | ".join(f"{r['relation_recall'][k]} / {r['relation_precision'][k]}" for k in kinds)


def _confusions(r: dict[str, Any]) -> str:
    """The off-diagonal cells of a 'gold->predicted' confusion count."""
    return ", ".join(f"{k} {v}" for k, v in r["relation_confusion"].items() if k.split("->")[0] != k.split("->")[1])


def generated_markdown(g: dict[str, Any]) -> list[str]:
    runs = [(label, g[key]) for key, label in (("default", "all-MiniLM-L6-v2 (default)"), ("fast", "static (`--fast`)")) if key in g]
    lines = [
        "### Tracing on a generated corpus",
        "",
        "`copydesk_eval.generated` (and `scripts/generate_corpus.py`, which writes one as JSONL for",
        "`copydesk add`) plants retellings of known kinds among distractors, at any size: 40 real articles from",
        "the test half, each with a verbatim copy (boilerplate added), a light edit and its human summary (a real",
        "paraphrase); half of these families carry publication times (source first), half none. The rest are",
        "distractors made of real sentences from the other FRANK articles, numbers shifted and names made up per",
        f"story. Here {runs[0][1]['articles']:,} articles; each planted retelling is looked up with `Library.sources`.",
        "",
        "| run | articles | queries | source first / in top 5 | other stories listed per query | verbatim copy R / P | light edit R / P | paraphrase R / P | direction decided | right (times / text) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in runs:
        cells = _recall_precision_cells(r, generated.KINDS)
        lines.append(
            f"| {label} | {r['articles']:,} | {r['queries']} | {r['source_recall_at_1']} / **{r['source_recall_at_5']}**"
            f" | {r['false_links_per_query']} | {cells} | {r['direction_decided']}"
            f" | {r['direction_accuracy_times']} / {r['direction_accuracy_text']} |"
        )
    main = runs[0][1]
    lines += [
        "",
        "R / P: recall / precision of the planted relation (%), over the planted pairs. Confusions (planted->found, first run): "
        + _confusions(main)
        + ".",
        "*Source first* can miss on purpose: a copy's list may put another retelling of the same source (a sibling,",
        "also a true relative) before the source itself, unless it finds the sibling retold from the source (see",
        "\"Tracing the retold set\"); *other stories listed* counts only articles outside the family.",
        "",
    ]
    return lines


PROVENANCE_GOALS = (
    "source first ≥ 95% alone and among distractors, every retelling under its source in `trace`, independent"
    " reports called derived ≤ 20%, retellings called derived ≥ 90%, siblings without their source called derived ≤ 10%"
)


def provenance_markdown(p: dict[str, Any]) -> list[str]:
    runs = [(label, p[key]) for key, label in (("default", "all-MiniLM-L6-v2 (default)"), ("fast", "static (`--fast`)")) if key in p]
    first = runs[0][1]
    lines = [
        "### Tracing the retold set",
        "",
        f"The {first['retellings']} AI-style retellings of `../shared/data/retold/` (a drifted uncredited one and a faithful",
        "credited one per source article; development data), traced as a user would (`copydesk_eval.provenance`):",
        "in a library of just the source and the retelling; and with the 12 sources, the retellings and the 12",
        f"independent reports of the same events among {first['crowded']['distractors']:,} real distractors (every other",
        "FRANK and BUMP article and its human reference summary), where each retelling's sibling is in the library too.",
        "No publication times are given, so direction rests on the texts. Pairs read alone: the source and each",
        "retelling (derived by construction), the source and its independent report (not derived: same event), and",
        "the two retellings of one source without it (siblings: neither was told from the other).",
        f"Goals (issue #20): {PROVENANCE_GOALS}.",
        "",
        "| run | source first, library of two | source first among distractors | under its source in `trace` | both siblings under the source | retellings called derived | independent reports called derived | siblings without source called derived | `compare` says derived: retellings / independent |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in runs:
        c, q = r["crowded"], r["pairs"]
        lines.append(
            f"| {label} | {r['two_article_source_first']}% | {c['source_first']}% | {c['trace_under_source']}%"
            f" | {c['siblings_both_under_source']}% | {q['retellings_called_derived']}%"
            f" | {q['independent_called_derived']}% | {q['siblings_without_source_called_derived']}%"
            f" | {q.get('compare_retellings_derived', '–')}% / {q.get('compare_independent_derived', '–')}% |"
        )
    w = first["pairs"].get("wording", {})
    if w:
        lines += [
            "",
            "Wording kept (share of the derived text's word 3-grams found in the source, min / median / max, first run):"
            f" retellings {w['retelling']['min']} / {w['retelling']['median']} / {w['retelling']['max']},"
            f" independent reports {w['independent']['min']} / {w['independent']['median']} / {w['independent']['max']}."
            " A text longer than a brief is a `paraphrase` only if it keeps at least `paraphrase_min_wording`"
            " (chosen by hand on these figures: the held-out set is the check).",
        ]
    lines += [
        "",
        "`sources` puts a sibling after the source they share: of the first few articles it lists, one known to be",
        "retold from another listed article that is at least as strong a source of the query is a sibling",
        "(`trace.cluster.siblings`). Independent reports and siblings are still often called `paraphrase`: the",
        "relation rules judge a paraphrase by how much of one text the other backs and in what order, and two",
        "reports of one event from the same facts back each other almost as well as a retelling does.",
        "",
    ]
    return lines


def taggers_markdown(t: dict[str, Any]) -> list[str]:
    sets = [(key, name) for key, name, _ in CLAIM_SETS if key in t["n"]]
    lines = [
        "### Which entity tagger (dev splits)",
        "",
        "The claim check takes its names from an entity tagger. spaCy's NER was chosen over capitalised words on",
        "the dev splits only (BUMP dev half, FRANK valid), with static embeddings so both runs are cheap: claim-check",
        "BAcc per tagger (`python -m copydesk_eval --only taggers`).",
        "",
        "| entity tagger | " + " | ".join(f"{name}, dev ({t['n'][key]})" for key, name in sets) + " |",
        "|---|" + "---|" * len(sets),
    ]
    for tagger in ENTITY_TAGGERS:
        if tagger in t:
            lines.append(f"| `{tagger}` | " + " | ".join(_pct(t[tagger][key]) for key, _ in sets) + " |")
    return [*lines, ""]


def tracing_notes_markdown(main: dict[str, Any]) -> list[str]:
    """How to read the relation table, and the worst retrievals (first run)."""
    lines: list[str] = []
    lines += [
        "",
        "R / P: recall / precision per planted relation (%). Confusions (gold->predicted, first run): "
        + _confusions(main)
        + ".",
        "",
        "No labelled pairs of independent reporting (`same_event`) exist here; as a stand-in, the last column pairs two retellings of one BBC article made",
        "independently (the human reference summary and the BERTS2S model's summary, FRANK; every such pair of",
        "the test half): neither was made from the other, so any copy relation (`verbatim_copy`, `light_edit`,",
        "`paraphrase`) between them is a false copy. Relations found (first run): "
        + ", ".join(f"{k} {v}" for k, v in main["independent_relations"].items())
        + ".",
        "Two one-sentence summaries of one article say nearly the same thing: one backs the other fully, in",
        "order, as a retelling would. So two briefs (at most `brief_max_sentences` story sentences each) are",
        "never called a `paraphrase`; only shared wording (the Jaccard cut-offs) makes them a copy. Before this",
        "rule, MiniLM called 55% of the 40 pairs then used (both halves) copies, static embeddings 17.5%. Now this",
        "column checks that rule and the Jaccard cut-offs rather than a finer judgment, and what the rule",
        "costs is not measured here: a brief rewritten from another brief is reported as the same story, not",
        "as a retelling.",
        "",
        "Worst cases (summaries whose article was not ranked first):",
        "",
    ]
    for ex in main["worst_retrievals"][:4]:
        lines.append(f"- “{ex['summary'][:150]}” — article {ex['article']}, found {ex['found'] or 'nothing'}")
    lines.append("")
    return lines


def tracing_markdown(t: dict[str, Any]) -> list[str]:
    def interval(f: dict[str, Any]) -> str:
        low, high = f["source_recall_at_5_interval"]
        return f"{low}–{high}"

    runs = [(f"static (`--fast`), first {CI_TRACING_QUERIES} summaries", t["fast_subset"])]
    if "default" in t:
        runs.insert(0, (f"{t['default']['embedder']} (default), all", t["default"]))
    lines = [
        "## Tracing",
        "",
        "No public corpus here labels who copied whom across news outlets (METER, NEWS-COPY and PAN are not",
        "available: see `../shared/data/README.md`). So retrieval and direction are measured on real retellings:",
        "the human reference summaries of FRANK's and BUMP's CNN/DM and BBC articles (MIT), each retold from",
        f"exactly one of the {t['fast_subset']['articles']} articles in a library built from both datasets. A summary is looked up",
        "with `Library.sources` (not added); recall@k counts it found when its own article is among the first k listed.",
        "Relations are measured on pairs planted at run time from the same real articles: a verbatim copy",
        "(boilerplate added), a light edit (a few words swapped, the last paragraph dropped), the human summary",
        "(a retelling: expected `paraphrase`) and another article (expected `unrelated`). Three thresholds were fit,",
        "on the dev half of the articles (`scripts/calibrate_tracing.py`): the candidate cut-off, the word share",
        "that makes two articles one story, and how close a brief (one or two sentences) must be to the other",
        "article's lead; every query and pair below comes from the test half. The MinHash-only",
        "column is the n-gram text-reuse baseline (5-word shingles, as passim-style tools use), on the same queries.",
        "",
        "| run | summaries | n | MinHash-only top-1 | candidates recall@1 / @5 / @10 | **sources recall@1 / @5** | recall@5, 95% interval | other articles listed | direction decided | direction right |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in runs:
        for subset, name in (("all", "all"), ("paraphrased", "paraphrased (<15% shared 5-grams)")):
            f = r[subset]
            lines.append(
                f"| {label} | {name} | {f['queries']} | {f['minhash_only_top1']}"
                f" | {f['candidate_recall_at_1']} / {f['candidate_recall_at_5']} / {f['candidate_recall_at_10']}"
                f" | **{f['source_recall_at_1']} / {f['source_recall_at_5']}** | {interval(f)} | {f['others_listed_mean']}"
                f" | {f['direction_decided']} | {f['direction_accuracy']} |"
            )
    lines += [
        "",
        "*Candidates* is the cheap index alone (MinHash bands and rare fingerprint keys); *sources* is what",
        "`copydesk sources` lists after confirming candidates with the full compare (a candidate judged",
        "`unrelated` is dropped). Direction here has no publication times to use (the datasets carry none), so it",
        "rests on text evidence alone; a summary is far shorter than its article, which makes this the easy case.",
        "*Other articles listed* is the mean number of articles `sources` lists that are not the summary's own.",
        "Most misses are one-sentence BBC summaries that no sentence of their article backs and that share few",
        "words with it. A brief is therefore also compared whole with the other article's first sentences (news",
        "puts the story first), and called the same story (`same_event`, never a copy) when that cosine reaches the",
        "95th percentile of non-sources on the dev half. Measured when it was adopted: on the dev half this rule found 4 more sources (203 to",
        "207 of 213 paraphrased summaries); on the test half it found 2 more with static embeddings and none",
        "with MiniLM, while each summary listed about 0.1 more other articles (MiniLM) and 0.15 to 0.2 more (static).",
        "Candidates are ranked by their share of the summary's rare keys weighed by the article's fingerprint",
        "size against the library's mean, as BM25 weighs a long document (BM25's usual k1 = 1.2 and b = 0.75,",
        "not fitted): a long article holds a few of any summary's words by its length alone. It was adopted after",
        "a diagnosis of the candidate misses on both halves; on the dev half it raised candidates recall@1 / @5",
        "of the paraphrased summaries from 192 / 208 to 198 / 209 of 213, on the test half sources recall@5",
        "(MiniLM) from 203 to 205 of 215. The remaining test-half misses with MiniLM: 5 of 10 sources are not",
        "among the index's candidates at all (a one-sentence summary holds few rare names or numbers to look",
        "up); 5 are candidates whose lead similarity (0.33 at most) falls below the cut-off.",
        "",
        "| run | planted pairs | relation accuracy | verbatim copy R / P | light edit R / P | paraphrase (summary) R / P | unrelated R / P | independent retellings called copies |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, r in runs:
        cells = _recall_precision_cells(r, ("verbatim_copy", "light_edit", "paraphrase", "unrelated"))
        lines.append(
            f"| {label} | {r['relation_pairs']} | **{r['relation_accuracy']}** | {cells}"
            f" | {r['independent_false_copy']}% of {r['independent_pairs']} |"
        )
    lines += tracing_notes_markdown(runs[0][1])
    return lines


CLAIM_SETS = (
    ("bump", "BUMP (Ma et al. 2023)", "CNN/DM reference summaries (faithful) and human minimal edits with exactly one error"),
    ("summedits_news", "SummEdits news (Laban et al. 2023)", "LLM edits of one-sentence summaries, labelled by people"),
    ("frank_cnndm", "FRANK CNN/DM (Pagnoni et al. 2021)", "model summaries, sentence errors annotated by 3 people"),
    ("frank_xsum", "FRANK XSum", "model summaries of BBC articles (mostly unfaithful)"),
    ("xsumfaith", "XSumFaith (Maynez et al. 2020)", "model and gold one-sentence summaries; unfaithful when 2 of 3 workers marked a span"),
)


CLAIM_SET_NAMES = {key for key, _, _ in CLAIM_SETS}


def peers_markdown(c: dict[str, Any]) -> list[str]:
    """Other checkers' published scores turned into calls, on the same items."""
    p = c.get("peers", {})
    if not p:
        return []
    lines: list[str] = []
    lines += [
        "",
        "### Peers on the same items",
        "",
        "FRANK and BUMP ship published per-summary scores of other checkers. We turn each score into a call with a",
        "threshold fit on the dev part (FRANK valid split / BUMP dev half) and report BAcc on the same test items as",
        "copydesk (`src/copydesk_eval/peers.py`).",
        "",
        "| system | BUMP | FRANK CNN/DM | FRANK XSum |",
        "|---|---|---|---|",
        "| **copydesk** (spaCy names and rules over aligned sentences, CPU, names the changed fact) | "
        + " | ".join(f"**{_pct(c[k]['balanced_accuracy'])}**" if k in c else "" for k in ("bump", "frank_cnndm", "frank_xsum"))
        + " |",
    ]
    names = sorted(set(p.get("bump", {})) | set(p.get("frank", {})))
    for metric in names:
        bump = p.get("bump", {}).get(metric)
        frank = p.get("frank", {}).get(metric, {})
        cells = [_pct(bump) if bump is not None else "", _pct(frank["cnndm"]) if frank else "", _pct(frank["bbc"]) if frank else ""]
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Published figures on other data, for orientation only (different items and splits): entity/number overlap",
        "baseline ~62 BAcc on XSumFaith; SummaC-ZS 72.1 and SummaC-Conv 74.4 BAcc on the SummaC benchmark",
        "(Laban et al. 2022); MiniCheck-FT5 75.0 and the best 7B checker 77.4 BAcc on LLM-AggreFact (Tang et al. 2024).",
    ]
    return lines


def corruptions_markdown(k: dict[str, Any] | None) -> list[str]:
    if not k:
        return []
    lines: list[str] = []
    lines += [
        "",
        "### Per finding kind, on generated corruptions",
        "",
        f"`copydesk_eval.corrupt` changes one fact at a time in real sentences (the first {k['sentences_per_article']}"
        f" sentences of 8+ words of the first {k['articles']} BUMP test-half articles); each variant and each untouched",
        "sentence is checked against its article. Recall: the variant got a finding of its kind. Precision: texts",
        "with a finding of that kind that really are that kind. The generator shares no code or word lists with the",
        "checker (its own name finder, month names, reporting verbs, quote marks and swap tables). Half its name swaps",
        "take a name the same article uses elsewhere (BUMP's intrinsic error), which the rules accept by design (a",
        "name from elsewhere in the story is no changed name), so `entity_changed` recall is low; fabricated",
        "quotations are sentences of other stories. These are synthetic changes: the figures on people's labels",
        "above and on the retold set below are the ones to judge the checker by.",
        "",
        "| kind | variants | recall | precision | flagged at all |",
        "|---|---|---|---|---|",
    ]
    for kind in KINDS:  # fixed order, whether the figures are fresh or reloaded from JSON
        v = k["per_kind"][kind]
        cells = [_pct(v[m]) if v[m] is not None else "–" for m in ("recall", "precision", "flagged_any")]
        lines.append(f"| `{kind}` | {v['n']} | " + " | ".join(cells) + " |")
    lines += ["", f"Untouched sentences flagged: {_pct(k['false_alarm_rate'])}% of {k['untouched']}. They are word-for-word"
              " copies, which the claim check supports without checking, so this says nothing about false alarms;"
              " those are measured on real faithful summaries (\"False alarms on real faithful summaries\", under the retold set)."]
    return lines


def claims_markdown(c: dict[str, Any]) -> list[str]:
    lines = [
        "## Claim check",
        "",
        "Each summary is the derived text and its article the source. A summary is judged **unfaithful** when any",
        "sentence is `distorted` (a finding) or an `unsupported` factual claim. Headline: balanced accuracy (BAcc),",
        "the mean of recall on faithful and on unfaithful summaries. Nothing was fit on these sets (the alignment",
        "threshold comes from MRPC and the BUMP dev half; BUMP figures are on the other half).",
        "",
        "| dataset | what | split | summaries (unfaithful) | **copydesk BAcc** |",
        "|---|---|---|---|---|",
    ]
    for key, name, what in CLAIM_SETS:
        if key in c:
            r = c[key]
            lines.append(f"| {name} | {what} | {r['split']} | {r['n']:,} ({r['unfaithful']:,}) | **{_pct(r['balanced_accuracy'])}** |")
    lines += peers_markdown(c)
    lines += corruptions_markdown(c.get("corruptions"))
    lines += ["", "### Confusion matrices (summary level; positive = unfaithful)", ""]
    lines += ["| dataset | flagged & unfaithful | flagged & faithful | missed | passed & faithful |", "|---|---|---|---|---|"]
    for key, name, _ in CLAIM_SETS:
        m = c.get(key, {}).get("confusion")
        if m:
            lines.append(f"| {name} | {m['tp']} | {m['fp']} | {m['fn']} | {m['tn']} |")
    spans = c.get("xsumfaith", {}).get("span_words")
    if spans:
        words = spans["tp"] + spans["fp"] + spans["fn"] + spans.get("tn", 0)
        share = (spans["tp"] + spans["fn"]) / words if words else 0.0
        lines += [
            "",
            "### Flagged spans (XSumFaith)",
            "",
            "Words of each summary that most of its 3 annotators marked as hallucinated, against the words inside",
            "what copydesk flags (each finding's span and every unsupported factual sentence), over all summaries.",
            f"Baseline: flagging every word gives precision {_pct(share)} and F1 {_pct(2 * share / (1 + share))}.",
            "",
            "| words | precision | recall | F1 |",
            "|---|---|---|---|",
            f"| {words:,} | {_pct(spans['precision'])} | {_pct(spans['recall'])} | **{_pct(spans['f1'])}** |",
            "",
            "Where we stand: what copydesk flags is more often hallucinated than a random word, but it misses most",
            "hallucinated words (XSum summaries add content in fluent sentences that still align with the article),",
            "so its F1 is below flagging everything.",
        ]
    lines += ["", "### Detection by error type (share of unfaithful summaries flagged)", ""]
    for key, name, _ in CLAIM_SETS:
        types = c.get(key, {}).get("detection_by_error_type")
        if types:
            lines.append(f"{name}: " + "; ".join(f"{t} {_pct(v['detected'])}% (n={v['n']})" for t, v in types.items()))
            lines.append("")
    lines += ["### Worst cases", ""]
    for key, name, _ in CLAIM_SETS[:2]:
        r = c.get(key)
        if not r:
            continue
        for ex in r["false_alarm_examples"][:2]:
            lines.append(f"- {name}, false alarm: “{ex['summary'][:160]}…” — {ex['why']}")
        for ex in r["missed_examples"][:2]:
            lines.append(f"- {name}, missed ({ex['error_type'] or 'unfaithful'}): “{ex['summary'][:160]}…”")
    lines.append("")
    return lines


def write(results: dict[str, Any], root: Path) -> None:
    """Write results; evaluators not run this time keep their previous figures."""
    (root / "eval").mkdir(exist_ok=True)
    previous_path = root / "eval" / "results.json"
    if previous_path.exists():
        previous = json.loads(previous_path.read_text())
        results = {**{k: v for k, v in previous.items() if k in EVALUATORS}, **results}
    (root / "eval" / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "EVALUATION.md").write_text(markdown(results, root))


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
