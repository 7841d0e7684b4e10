import io
import json
import re

from rich.console import Console

from copydesk import compare, to_json_dict
from copydesk.ingest import document_from_text
from copydesk.models import Finding, Verdict
from copydesk.report.html import render_html
from copydesk.report.terminal import render

SOURCE = (
    "Port strike ends after 12 days\n"
    "The strike at the port ended on Tuesday after 12 days, officials said.\n"
    'Dockworkers won a 4% raise. "We are pleased," said union leader Grace Okafor.\n'
    "The mayor thanked both sides for their patience."
)
DERIVED = (
    "The port strike ended on Tuesday after 12 days, according to officials.\n"
    "Dockworkers won a 4% raise.\n"
    "The situation highlights the challenges facing the region.\n"
    "Opinions expressed here are not those of the publisher."
)


def run(fake_embedder, source=SOURCE, derived=DERIVED):
    return compare(source, derived, embedder=fake_embedder)


def test_json_follows_compare_schema(fake_embedder):
    data = to_json_dict(run(fake_embedder))
    json.dumps(data)  # serialisable
    assert data["schema"] == "copydesk.compare/1"
    for side in ("source", "derived"):
        assert {"title", "sentences", "boilerplate"} <= set(data[side])
        for s in data[side]["sentences"]:
            assert set(s) == {"i", "start", "end", "text"}
    text = DERIVED
    assert data["derived"]["boilerplate"][0]["text"] == text[data["derived"]["boilerplate"][0]["start"] : data["derived"]["boilerplate"][0]["end"]]
    assert len(data["verdicts"]) == len(data["derived"]["sentences"])
    verdicts = {v["derived"]: v for v in data["verdicts"]}
    assert verdicts[0]["verdict"] == "supported"
    assert verdicts[2]["verdict"] == "unsupported" and verdicts[2]["addition"] == "filler"
    aligned_sources = {j for a in data["alignments"] for j in a["source"]}
    assert set(data["omitted"]) == {s["i"] for s in data["source"]["sentences"]} - aligned_sources
    assert set(data["summary"]) == {"same_story", "derived_backed_share", "source_reused_share", "derived"}
    assert isinstance(data["summary"]["derived"], bool)
    assert data["settings"]["match_threshold"] > 0


def test_terminal_report_shows_summary_alignment_and_omissions(fake_embedder):
    buf = io.StringIO()
    render(run(fake_embedder), Console(file=buf, width=160, color_system=None))
    out = buf.getvalue()
    assert "Same story" in out
    assert "unsupported" in out and "(filler)" in out
    assert "Source sentences not reused" in out and "thanked both sides" in out
    assert "Boilerplate set aside" in out and "disclaimer" in out


def _with_finding(result):
    # A finding as the claim check will produce, to check that reports place it.
    derived_sentence = result.derived.sentences[1]
    source_sentence = result.source.sentences[2]
    finding = Finding("number_changed", (derived_sentence.start + 17, derived_sentence.start + 19),
                      (source_sentence.start + 17, source_sentence.start + 19), "4% in the source")
    verdicts = tuple(
        Verdict(v.derived, "distorted", (finding,)) if v.derived == 1 else v for v in result.verdicts
    )
    return type(result)(**{**result.__dict__, "verdicts": verdicts})


def test_html_is_self_contained_links_partners_and_marks_findings(fake_embedder):
    result = _with_finding(run(fake_embedder))
    page = render_html(result)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert page.count("<script") == 1
    assert re.search(r'id="d0" data-links="[^"]*\bs1\b', page)  # derived 0 points at its source
    assert re.search(r'id="s1" data-links="[^"]*\bd0\b', page)  # and back
    assert 'class="bp"' in page
    assert page.count('data-finding="f1-0"') == 2  # in both texts
    assert "number_changed: 4% in the source" in page


def test_script_in_article_text_and_metadata_is_inert(fake_embedder):
    evil = '<script>alert("x")</script> <img src=x onerror="alert(1)"> <a href="javascript:alert(2)">link</a>'
    source = document_from_text(SOURCE + "\n" + evil + " was posted.", title="<script>alert('t')</script>")
    result = run(fake_embedder, source=source, derived=DERIVED + "\n" + evil)
    page = render_html(result)
    assert page.count("<script") == 1  # only our own script
    assert "<img" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(" in page
    # The policy allows only our script's hash, so even a missed escape could not run.
    assert "script-src 'sha256-" in page and not re.search(r"script-src[^;\"]*unsafe-inline", page)
