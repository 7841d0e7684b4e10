from __future__ import annotations

import random

import pytest

from copydesk.ingest import document_from_text

_SYLLABLES = "ka lo mi ra ten vos dar eli un pra ost vel mer dun sa gri tho bel nor fi".split()


def _word(rng: random.Random, size: int = 2) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(size))


def planted_corpus(settings, bases: int = 180, seed: int = 11):
    """Made-up news articles, each with its own people, places and figures, plus planted
    retellings of some of them: verbatim copies, light edits and loose retellings.
    Returns (documents, {derived id: (source id, kind)})."""
    rng = random.Random(seed)
    common = [_word(rng) for _ in range(300)]  # a shared vocabulary, so articles are not trivially apart
    docs, texts, planted = [], {}, {}
    for i in range(bases):
        names = [_word(rng, 3).capitalize() for _ in range(4)]
        sentences = []
        for j in range(10):
            words = " ".join(rng.choice(common) for _ in range(8))
            sentences.append(
                f"{rng.choice(names)} said the {words} reached {rng.randrange(100, 9999):,} in {rng.randrange(1990, 2024)}."
            )
        text = f"Report {i} from {names[0]}\n\n" + "\n\n".join(sentences)
        texts[f"base-{i:03d}"] = text
        docs.append(document_from_text(text, id=f"base-{i:03d}", site=f"Outlet {i % 7}", published=f"2023-03-{1 + i % 28:02d}", settings=settings))
    for n, i in enumerate(rng.sample(range(bases), 45)):
        source = f"base-{i:03d}"
        paragraphs = texts[source].split("\n\n")
        kind = ("verbatim_copy", "light_edit", "paraphrase")[n % 3]
        if kind == "verbatim_copy":
            text = texts[source] + "\n\nShare this article"
        elif kind == "light_edit":
            text = "\n\n".join(paragraphs[:-1]).replace(" said ", " stated ", 3)
        else:  # the first half of the story, reordered and trimmed: a loose retelling
            body = paragraphs[1:6]
            rng.shuffle(body)
            text = f"Retold {n}\n\n" + "\n\n".join(" ".join(p.split()[:-3]) + "." for p in body)
        derived = f"{kind}-{n:02d}"
        planted[derived] = (source, kind)
        docs.append(document_from_text(text, id=derived, site="Copy Farm", published="2023-04-15", settings=settings))
    return docs, planted


@pytest.fixture(scope="session")
def spark_available():
    pytest.importorskip("pyspark")
    import shutil

    if shutil.which("java") is None:
        pytest.skip("the Spark engine needs Java")
