"""Real-crawl fixtures (trafilatura style): what must and must not come out of segmentation."""

import json
from pathlib import Path

import pytest

from copydesk.ingest import document_from_text
from copydesk.segment import segment

CASES = json.loads((Path(__file__).parent / "fixtures" / "crawl_segmentation.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_crawl_case(case):
    seg = segment(document_from_text(case["text"]))
    sentences = [s.text for s in seg.sentences]
    aside = [b.text for b in seg.boilerplate]
    for expected in case.get("sentences", []):
        assert expected in sentences
    for glued in case.get("not_sentences", []):
        assert not any(glued in s for s in sentences), glued
    for line in case.get("boilerplate", []):
        assert line in aside
    for line in case.get("story", []):
        assert not any(line in b or b in line for b in aside), line
        assert any(s in line for s in sentences)
