"""docs/EVALUATION.md, rendered from eval/results.json through the templates in `templates/`.

The templates hold the prose and the tables; this module only picks what each section is given.
Figures measured once, when a rule was adopted (a rerun cannot measure them again), come from
eval/history.json, each with the commit that measured it, never from text typed into a template.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2

from copydesk.settings import ENTITY_TAGGERS
from copydesk_eval import generated
from copydesk_eval.blocks import with_block
from copydesk_eval.corrupt import KINDS

# Published figures on the same data, cited in the report.
MRPC_PEERS = [
    ("Majority class (always 'paraphrase')", "79.9", "66.5", "MRPC test label balance (Dolan & Brockett 2005)"),
    ("BERT-base, fine-tuned on MRPC train", "88.9", "84.8", "Devlin et al. 2019, GLUE test server"),
]
CLAIM_SETS = (
    ("bump", "BUMP (Ma et al. 2023)", "CNN/DM reference summaries (faithful) and human minimal edits with exactly one error"),
    ("summedits_news", "SummEdits news (Laban et al. 2023)", "LLM edits of one-sentence summaries, labelled by people"),
    ("frank_cnndm", "FRANK CNN/DM (Pagnoni et al. 2021)", "model summaries, sentence errors annotated by 3 people"),
    ("frank_xsum", "FRANK XSum", "model summaries of BBC articles (mostly unfaithful)"),
    ("xsumfaith", "XSumFaith (Maynez et al. 2020)", "model and gold one-sentence summaries; unfaithful when 2 of 3 workers marked a span"),
)
CLAIM_SET_NAMES = {key for key, _, _ in CLAIM_SETS}
RETOLD_GOALS = "drifts caught ≥ 85%, right kind ≥ 65%, faithful sentences distorted ≤ 5%, additions unsupported ≥ 90%, boilerplate set aside ≥ 95%, same story 24/24"
PROVENANCE_GOALS = (
    "source first ≥ 95% alone and among distractors, every retelling under its source in `trace`, independent"
    " reports called derived ≤ 20%, retellings called derived ≥ 90%, siblings without their source called derived ≤ 10%"
)
# The README's summary of the claim check: each set's row, and where its peers' scores come from.
README_CLAIM_ROWS = (
    ("bump", "BUMP, test half", ("bump", None)),
    ("summedits_news", "SummEdits news", None),
    ("frank_cnndm", "FRANK CNN/DM, test", ("frank", "cnndm")),
    ("frank_xsum", "FRANK XSum, test", ("frank", "bbc")),
    ("xsumfaith", "XSumFaith (196 articles)", None),
)
PEER_NAMES = {"BertScore P Art": "BERTScore-P vs article"}  # as FRANK's file names it -> as the papers do
README_BLOCKS = ("eval-summary", "claims-summary", "retold-summary", "tracing-summary")
# The CI subset traces this many summaries with static embeddings (copydesk_eval.harness uses it too).
CI_TRACING_QUERIES = 150
# Sections in reading order: the results key each renders, and its template.
SECTIONS = (("alignment", "alignment"), ("claims", "claims"), ("retold", "retold"), (None, "splitters"),
            ("taggers", "taggers"), ("tracing", "tracing"), ("generated", "generated"), ("provenance", "provenance"))


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=jinja2.StrictUndefined,  # a figure missing from the results fails, not renders blank
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Markdown, not HTML
    )
    env.filters["pct"] = _pct
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["tenths"] = lambda x: f"{x:.1f}"
    env.filters["confusions"] = lambda r: ", ".join(
        f"{k} {v}" for k, v in r["relation_confusion"].items() if k.split("->")[0] != k.split("->")[1])
    env.filters["recall_precision"] = lambda r, kinds: " | ".join(
        f"{r['relation_recall'][k]} / {r['relation_precision'][k]}" for k in kinds)
    env.filters["counts"] = lambda counts: ", ".join(f"{k} {v}" for k, v in counts.items())
    env.globals.update(
        MRPC_PEERS=MRPC_PEERS, CLAIM_SETS=CLAIM_SETS, RETOLD_GOALS=RETOLD_GOALS, PROVENANCE_GOALS=PROVENANCE_GOALS,
        CI_TRACING_QUERIES=CI_TRACING_QUERIES, ENTITY_TAGGERS=ENTITY_TAGGERS, CORRUPTION_KINDS=KINDS,
        GENERATED_KINDS=generated.KINDS,
    )
    return env


ENVIRONMENT = _environment()


REPOSITORY = Path(__file__).resolve().parents[2]


def section(name: str, data: dict[str, Any], root: Path = REPOSITORY, **context: Any) -> str:
    """One section of the report from its evaluator's figures (and the history kept under `root`)."""
    return ENVIRONMENT.get_template(f"{name}.md.j2").render(r=data, history=_history(root), **context)


def _splitter_rows(root: Path) -> list[dict[str, Any]] | None:
    """The base sentence splitter comparison, from eval/splitters.json (scripts/compare_splitters.py)."""
    path = root / "eval" / "splitters.json"
    return json.loads(path.read_text(encoding="utf-8"))["rows"] if path.exists() else None


def _history(root: Path) -> dict[str, Any]:
    """eval/history.json: figures measured once, when a rule was adopted, each with its commit."""
    return json.loads((root / "eval" / "history.json").read_text(encoding="utf-8"))


def markdown(results: dict[str, Any], root_dir: Path = Path(".")) -> str:
    """docs/EVALUATION.md: the header, then each section whose figures the results hold."""
    parts = [ENVIRONMENT.get_template("header.md.j2").render(results=results, s=results["settings"])]
    for key, name in SECTIONS:
        if key is None:
            rows = _splitter_rows(root_dir)
            if rows:
                best = max(rows, key=lambda row: float(row["scraped_sources"].split("(")[1].rstrip("%)")))
                parts.append(section(name, {"rows": rows}, root_dir, best=best, ours=rows[0]))
        elif key in results:
            parts.append(section(name, results[key], root_dir))
    return "\n".join(parts)


def _best_peer(peers: dict[str, Any], where: tuple[str, str | None] | None) -> str:
    """The best-scoring peer on one set's items, as "name 67.3", or "" where no peer scored them."""
    if where is None:
        return ""
    source, part = where
    scores = {name: (v if part is None else v.get(part)) for name, v in peers.get(source, {}).items() if v}
    scores = {name: score for name, score in scores.items() if score is not None}
    if not scores:
        return ""
    name = max(scores, key=lambda n: (scores[n], n))
    return f"{PEER_NAMES.get(name, name)} {_pct(scores[name])}"


def readme(results: dict[str, Any], text: str) -> str:
    """README.md's summary blocks (<!-- eval-summary --> and the others), rendered from the results."""
    peers = results["claims"].get("peers", {})
    claim_rows = [(key, label, _best_peer(peers, where)) for key, label, where in README_CLAIM_ROWS]
    for name in README_BLOCKS:
        body = ENVIRONMENT.get_template(f"readme/{name}.md.j2").render(r=results, claim_rows=claim_rows)
        text = with_block(text, name, body)
    return text
