"""Which base sentence splitter to use: ours against kept libraries, on real text.

Each splitter runs on the pieces left by copydesk's de-gluing pass (`segment.glue_points`), so the
comparison is of the base split alone. Measured on:
- the crawl fixtures (tests/fixtures/crawl_segmentation.json): sentences that must come out whole;
- the retold set (../shared/data/retold): the author's sentences in the retellings, recovered exactly;
- the retold set's scraped sources (paragraphs glued without spaces): the sentences each splitter
  finds in FRANK's unglued text, recovered from the glued text.

Needs `pip install pysbd syntok nupunkt` (not dependencies of copydesk). Writes eval/splitters.json, which
`python -m copydesk_eval` renders into docs/EVALUATION.md. Run:
    python scripts/compare_splitters.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from copydesk.segment import glue_points, split_piece

Splitter = Callable[[str], list[tuple[int, int]]]


def _find_all(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for piece in pieces:
        piece = piece.strip()
        start = text.find(piece, pos)
        if piece and start >= 0:
            spans.append((start, start + len(piece)))
            pos = start + len(piece)
    return spans


def splitters() -> dict[str, Splitter]:
    import nupunkt
    import pysbd
    import spacy
    import syntok.segmenter as syntok

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")

    def syntok_split(text: str) -> list[tuple[int, int]]:
        out = []
        for paragraph in syntok.analyze(text):
            for sentence in paragraph:
                out.append((sentence[0].offset, sentence[-1].offset + len(sentence[-1].value)))
        return out

    return {
        "copydesk rules": lambda t: split_piece(t, 0, len(t)),
        "pySBD 0.3": lambda t: [(s.start, s.end) for s in seg.segment(t)],
        "syntok 1.4": syntok_split,
        "nupunkt": lambda t: _find_all(t, nupunkt.sent_tokenize(t)),
        "spaCy sentencizer": lambda t: [(s.start_char, s.end_char) for s in nlp(t).sents],
    }


def split(text: str, base: Splitter) -> list[str]:
    """Lines, then de-gluing, then the base splitter on each piece."""
    out = []
    for line in text.split("\n"):
        pos = 0
        for stop in [*glue_points(line, 0, len(line)), len(line)]:
            piece = line[pos:stop]
            out += [piece[a:b].strip() for a, b in base(piece) if piece[a:b].strip()]
            pos = stop
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def recovered(expected: list[str], got: list[str]) -> tuple[int, int]:
    found = {_norm(s) for s in got}
    return sum(_norm(e) in found for e in expected), len(expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    fixtures = json.loads(Path("tests/fixtures/crawl_segmentation.json").read_text(encoding="utf-8"))["cases"]
    pairs = [json.loads(line) for line in (args.data / "retold" / "pairs.jsonl").read_text(encoding="utf-8").splitlines() if line]
    frank = {r["hash"]: r["article"] for r in map(json.loads, (args.data / "frank" / "articles.jsonl").read_text(encoding="utf-8").splitlines())}
    rows = []
    for name, base in splitters().items():
        started = time.time()
        fx = [recovered(c.get("sentences", []), split(c["text"], base)) for c in fixtures]
        authored = []
        for p in pairs:
            expected = [d["derived_sentence"] for d in p["distortions"]] + p["additions"] + p["faithful_sentences"]
            authored.append(recovered(expected, split(p["derived"]["text"], base)))
        glued = [recovered(split(frank[p["source_id"]], base), split(p["source"]["text"], base))
                 for p in pairs if p["scraped_source"] and p["kind"] == "drifted"]
        row = {"splitter": name, "seconds": round(time.time() - started, 2)}
        for label, counts in (("fixtures", fx), ("retold_author_sentences", authored), ("scraped_sources", glued)):
            hit, total = sum(c[0] for c in counts), sum(c[1] for c in counts)
            row[label] = f"{hit}/{total} ({100 * hit / max(total, 1):.1f}%)"
        rows.append(row)
    out = Path("eval/splitters.json")
    out.write_text(json.dumps({"data": str(args.data), "rows": rows}, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(rows, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
