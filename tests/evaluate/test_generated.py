"""The generated tracing corpus: planted families among distractors, and its evaluation."""

import json

import pytest

from copydesk.ingest.stream import iter_documents
from copydesk_eval import generated
from copydesk_eval.alignment import is_dev_article

TOWNS = ["Velmora", "Ostrava", "Kestrel", "Lumbridge", "Carrowmore", "Tiverton", "Ashcombe", "Pellham",
         "Dunmore", "Brackley", "Fenwick", "Halden", "Marlow", "Wexham", "Rothley", "Selwyn"]


def article_text(i: int, town: str) -> str:
    return "\n".join([
        f"Floods closed the port of {town} on Tuesday after {1200 + i} homes lost power.",
        f"The harbour authority in {town} said ferries would not sail until Friday.",
        f"Mayor Ansel {town}son said {40 + i} volunteers were filling sandbags overnight.",
        f"Engineers found {300 + i} metres of the old sea wall had cracked in the storm.",
        f"Insurers expect claims of about {5 + i} million pounds from shops along the quay.",
        f"Schools in {town} will stay shut while roads are cleared of debris and mud.",
        f"A relief centre opened at the {town} leisure hall for families who had to leave.",
        f"Local {marker(town)} fishermen said the whole week's catch had been lost to the water.",
    ])


def marker(town: str) -> str:
    return town.lower() + "ish"  # lower case: distractors keep it (they rename capitalised names only)


@pytest.fixture()
def fake_data(tmp_path):
    frank = tmp_path / "frank"
    frank.mkdir()
    keys = [f"k{i:02d}" for i in range(len(TOWNS))]
    with (frank / "articles.jsonl").open("w") as fh:
        for i, (key, town) in enumerate(zip(keys, TOWNS)):
            fh.write(json.dumps({"hash": key, "article": article_text(i, town)}) + "\n")
    with (frank / "benchmark.jsonl").open("w") as fh:
        for i, (key, town) in enumerate(zip(keys, TOWNS)):
            summary = f"Storm waters shut the docks of {town}, leaving {1200 + i} homes dark and ferries idle."
            fh.write(json.dumps({"hash": key, "reference": summary, "dataset": "cnndm", "model_name": "m"}) + "\n")
    (tmp_path / "bump").mkdir()
    for task in ("task1_dataset.json", "task2_dataset.json"):
        (tmp_path / "bump" / task).write_text("[]")
    test_half = [k for k in keys if not is_dev_article(k)]
    assert len(test_half) >= 3  # the fixture needs a few test-half articles to plant from
    return tmp_path, test_half


def test_corpus_plants_three_retellings_per_source_among_distractors(fake_data):
    data, test_half = fake_data
    corpus = generated.generate_corpus(data, size=30, sources=2, seed=3)
    assert len(corpus) == 30 and len({a.id for a in corpus}) == 30
    retellings = [a for a in corpus if a.planted_kind]
    assert sorted((a.planted_source, a.planted_kind) for a in retellings) == sorted(
        (f"src-{i}", kind) for i in range(2) for kind in generated.KINDS
    )
    by_id = {a.id: a for a in corpus}
    # The first family carries times, source first; the second none.
    assert all(by_id["src-0"].published < a.published for a in retellings if a.planted_source == "src-0")
    assert by_id["src-1"].published is None
    # Distractors reuse other articles' sentences, never a planted source's; a seed gives the same corpus again.
    planted = {marker(t) for t in TOWNS if t in by_id["src-0"].text or t in by_id["src-1"].text}
    distractors = " ".join(a.text for a in corpus if a.id.startswith("other-"))
    assert len(corpus) - len(retellings) - 2 == 22
    assert not any(m in distractors for m in planted)
    assert any(marker(t) in distractors for t in TOWNS if marker(t) not in planted)
    assert generated.generate_corpus(data, size=30, sources=2, seed=3) == corpus


def test_written_corpus_is_read_back_by_add(fake_data, tmp_path, settings):
    data, _ = fake_data
    corpus = generated.generate_corpus(data, size=12, sources=1)
    path = tmp_path / "corpus.jsonl"
    generated.write_corpus(corpus, path)
    docs = list(iter_documents([str(path)], settings, on_error=pytest.fail))
    assert [d.id for d in docs] == [a.id for a in corpus]
    timed = next(d for d in docs if d.id == "src-0")
    assert timed.published and timed.site == "wire0.example"


def test_evaluation_finds_planted_sources_and_scores_labels(fake_data, settings, fake_embedder):
    data, _ = fake_data
    figures = generated.evaluate_generated(data, fake_embedder, settings, size=20, sources=2)
    assert figures["articles"] == 20 and figures["queries"] == 6
    confusion = figures["relation_confusion"]
    assert sum(confusion.values()) == 6
    # A verbatim copy (boilerplate added) is found and called one, with or without times.
    assert confusion.get("verbatim_copy->verbatim_copy") == 2
    assert figures["relation_recall"]["verbatim_copy"] == 100.0
    assert figures["source_recall_at_5"] >= 100 * 4 / 6  # both copies and both light edits at least
    assert figures["direction_accuracy_times"] == 100.0


def test_markdown_has_a_row_per_run():
    from copydesk_eval.report import section

    run = {"articles": 2000, "queries": 120, "source_recall_at_1": 70.0, "source_recall_at_5": 98.3,
           "false_links_per_query": 0.46, "relation_recall": {k: 90.0 for k in generated.KINDS},
           "relation_precision": {k: 95.0 for k in generated.KINDS}, "relation_confusion": {"paraphrase->same_event": 3},
           "direction_decided": 70.0, "direction_accuracy_times": 100.0, "direction_accuracy_text": 97.5}
    text = section("generated", {"fast": run, "default": {**run, "source_recall_at_5": 99.2}})
    assert "| all-MiniLM-L6-v2 (default) | 2,000 | 120 | 70.0 / **99.2** | 0.46 |" in text
    assert "| static (`--fast`) | 2,000 | 120 | 70.0 / **98.3** |" in text
    assert "paraphrase->same_event 3" in text and "| 70.0 | 100.0 / 97.5 |" in text
