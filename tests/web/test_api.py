"""The JSON API and the pages' server side, through FastAPI's test client, with a fake embedder."""

from __future__ import annotations

import hashlib
import time

import pytest

from copydesk.align.embedder import HashingEmbedder
from tests.web.conftest import XSS_TEXT, XSS_TITLE


def wait_for(client, job: dict, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while job["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, f"job {job} did not finish"
        time.sleep(0.05)
        job = client.get(f"/api/jobs/{job['id']}").json()
    return job


def compared(client, source: str, derived: str) -> dict:
    """A pair's compare JSON: the first GET starts a job (202), the next after it is done answers."""
    response = client.get(f"/api/pairs/{source}/{derived}")
    if response.status_code == 202:
        assert response.headers["location"] == f"/api/jobs/{response.json()['id']}"
        assert wait_for(client, response.json())["status"] == "done"
        response = client.get(f"/api/pairs/{source}/{derived}")
    assert response.status_code == 200, response.text
    return response.json()


def ids(story_documents, *names):
    return [story_documents[n].id for n in names]


# Library ---------------------------------------------------------------------------------------


def test_articles_are_paged_without_overlap(client):
    first = client.get("/api/articles").json()
    second = client.get("/api/articles?page=2").json()
    assert first["total"] == 6 + 1 + 23 and first["pages"] == 2
    assert len(first["articles"]) == 20 and len(second["articles"]) == 10
    assert not {a["id"] for a in first["articles"]} & {a["id"] for a in second["articles"]}
    dates = [a["published"] or "" for a in first["articles"] + second["articles"]]
    assert dates == sorted(dates, reverse=True)  # newest first, undated last


@pytest.mark.parametrize("path", ["/?page_no=99999999999999999999", "/api/articles?page=9223372036854775807",
                                  "/api/articles?page=0", "/?page_no=-3"])
def test_a_page_number_out_of_range_is_a_clear_422_not_a_crash(client, path):
    response = client.get(path)
    assert response.status_code == 422
    assert "page must be from 1 to" in response.text or "page_no" in response.text


def test_search_by_words_outlet_and_dates(client, story_documents):
    found = client.get("/api/articles", params={"q": "Vasland flood"}).json()
    assert found["total"] >= 3 and all(a["id"] not in ("hostile",) and not a["id"].startswith("filler") for a in found["articles"])
    assert client.get("/api/articles", params={"q": "Place7 ribbon"}).json()["total"] == 1
    alpha = client.get("/api/articles", params={"outlet": "Alpha Post"}).json()
    assert alpha["total"] == 11 and {a["site"] for a in alpha["articles"]} == {"Alpha Post"}
    january = client.get("/api/articles", params={"since": "2021-01-05", "until": "2021-01-07"}).json()
    assert sorted(a["id"] for a in january["articles"]) == ["filler-04", "filler-05", "filler-06"]
    # Search words are data, not FTS syntax.
    assert client.get("/api/articles", params={"q": 'flood" OR "x NEAR(a'}).status_code == 200


def test_rows_count_confirmed_sources_and_retellings(client, story_documents):
    source, paraphrase = ids(story_documents, "source_meridian_wire", "paraphrase_newspulse")
    rows = {a["id"]: a for a in client.get("/api/articles", params={"q": "Vasland"}).json()["articles"]}
    assert rows[source]["retellings"] >= 2 and rows[source]["sources"] == 0
    assert rows[paraphrase]["sources"] >= 1
    assert rows[paraphrase]["worst_finding"] is not None and rows[source]["worst_finding"] is None


def test_article_has_text_spans_and_relations(client, story_documents):
    source, paraphrase = ids(story_documents, "source_meridian_wire", "paraphrase_newspulse")
    body = client.get(f"/api/articles/{paraphrase}").json()
    assert body["schema"] == "copydesk.article/1" and body["site"] == "NewsPulse Today"
    start, end = body["sentence_spans"][0]
    assert body["text"][start:end].strip()
    roles = {r["id"]: r for r in body["related"]}
    assert roles[source]["role"] == "source" and roles[source]["pair"] == f"/pairs/{source}/{paraphrase}"
    assert roles[source]["credited"] is False and roles[source]["distortions"] > 0


def test_sources_and_derivatives_follow_the_cli_schema(client, story_documents):
    source, paraphrase = ids(story_documents, "source_meridian_wire", "paraphrase_newspulse")
    sources = client.get(f"/api/articles/{paraphrase}/sources").json()
    assert sources["schema"] == "copydesk.sources/1" and sources["article"]["id"] == paraphrase
    assert source in [s["id"] for s in sources["sources"]]
    derivatives = client.get(f"/api/articles/{source}/derivatives").json()
    assert derivatives["schema"] == "copydesk.derivatives/1" and paraphrase in [d["id"] for d in derivatives["derivatives"]]


def test_sources_of_an_article_not_yet_compared_come_from_a_job(client, library_db, settings, story_documents):
    from copydesk.ingest import document_from_text
    from copydesk.library import Library

    wire = story_documents["source_meridian_wire"]
    with Library.open(library_db, settings, embedder=HashingEmbedder()) as library:
        library.add([document_from_text(wire.text + "\nShare this article", id="late-copy", settings=settings)])
    first = client.get("/api/articles/late-copy/sources")
    assert first.status_code == 202 and first.json()["kind"] == "confirm"
    again = client.get("/api/articles/late-copy/sources")
    assert again.status_code in (200, 202)
    if again.status_code == 202:
        assert again.json()["id"] == first.json()["id"]  # joins the job, starts no other
    assert wait_for(client, first.json())["status"] == "done"
    sources = client.get("/api/articles/late-copy/sources")
    assert sources.status_code == 200 and wire.id in [s["id"] for s in sources.json()["sources"]]


def test_pair_json_and_report(client, story_documents):
    source, paraphrase = ids(story_documents, "source_meridian_wire", "paraphrase_newspulse")
    first = client.get(f"/api/pairs/{source}/{paraphrase}")
    assert first.status_code == 202 and first.json()["kind"] == "compare"  # never compared inside a GET
    page = client.get(f"/pairs/{source}/{paraphrase}", follow_redirects=False)
    if page.status_code == 303:  # still comparing: the page joins the same job rather than start another
        assert page.headers["location"] == f"/jobs/{first.json()['id']}"
    else:
        assert page.status_code == 200
    pair = compared(client, source, paraphrase)
    assert pair["schema"] == "copydesk.compare/1"
    assert pair["source"]["id"] == source and pair["derived"]["id"] == paraphrase
    report = client.get(f"/pairs/{source}/{paraphrase}/report.html")
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    assert "<script>" in report.text and "Content-Security-Policy" in report.text  # self-contained, own policy


def test_a_report_download_for_ids_with_line_breaks_and_quotes(client, library_db, settings, story_documents):
    from urllib.parse import quote

    from copydesk.ingest import document_from_text
    from copydesk.library import Library

    odd = 'evil\r\nSet-Cookie: x=1"; .html'
    with Library.open(library_db, settings, embedder=HashingEmbedder()) as library:
        library.add([document_from_text("The harbour reopened on Monday after 3 weeks of repairs.", id=odd, settings=settings)])
    compared(client, quote(odd, safe=""), quote(odd, safe=""))
    report = client.get(f"/pairs/{quote(odd, safe='')}/{quote(odd, safe='')}/report.html")
    assert report.status_code == 200
    disposition = report.headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition and disposition.count('"') == 2
    assert "set-cookie" not in {k.lower() for k in report.headers}


def test_stories_and_outlets(client, story_documents):
    source = story_documents["source_meridian_wire"].id
    trace = client.get("/api/stories").json()
    assert trace["schema"] == "copydesk.trace/1"
    story = next(c for c in trace["clusters"] if source in c["members"])
    assert story["root"] == source
    assert client.get(f"/api/stories/{story['id']}").json()["root"] == source
    outlets = client.get("/api/outlets").json()
    assert outlets["schema"] == "copydesk.stats/1" and outlets["traced"] is True
    newspulse = next(o for o in outlets["outlets"] if o["site"] == "NewsPulse Today")
    assert newspulse["retellings"] >= 1 and newspulse["uncredited"] >= 1


def test_trace_runs_as_a_background_job(client):
    job = client.post("/api/trace")
    assert job.status_code == 202 and job.json()["kind"] == "trace"
    done = wait_for(client, job.json())
    assert done["status"] == "done" and done["result_url"] == "/stories" and done["total"] > 0


def test_openapi_lists_every_api_route(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/articles", "/api/articles/{article_id}", "/api/articles/{article_id}/sources",
        "/api/articles/{article_id}/derivatives", "/api/articles/{article_id}/confirm", "/api/pairs/{source}/{derived}",
        "/api/stories", "/api/stories/{story_id}", "/api/trace", "/api/outlets", "/api/compare", "/api/jobs/{job_id}",
        "/api/health",
    }
    assert expected <= set(paths)
    assert not {p for p in paths if not p.startswith("/api/")}  # pages stay out of the API schema


# Compare -------------------------------------------------------------------------------------------


def test_api_compare_adds_texts_and_links_the_pair(client, story_documents):
    before = client.get("/api/health").json()["articles"]
    job = client.post(
        "/api/compare",
        json={"source": {"id": story_documents["source_meridian_wire"].id},
              "derived": {"text": "Insurers in Lower Vasland received 4,120 flood claims in 2021, the council said.", "title": "Short"}},
    )
    assert job.status_code == 202
    done = wait_for(client, job.json())
    assert done["status"] == "done" and done["result_url"].startswith("/pairs/")
    assert client.get("/api/health").json()["articles"] == before + 1
    _, _, source_id, derived_id = done["result_url"].split("/")
    assert client.get(f"/api/articles/{derived_id}").json()["title"] == "Short"
    assert len(compared(client, source_id, derived_id)["verdicts"]) == 1


def test_api_compare_by_url(client, library_db, settings):
    from copydesk.ingest import document_from_text
    from copydesk.library import Library

    with Library.open(library_db, settings, embedder=HashingEmbedder()) as library:
        library.add([document_from_text("A short note about the harbour.\nIt reopened on Monday after 3 weeks.", id="u1",
                                        url="https://example.org/harbour", settings=settings)])
    job = client.post("/api/compare", json={"source": {"url": "https://example.org/harbour"}, "derived": {"id": "u1"}})
    assert wait_for(client, job.json())["result_url"] == "/pairs/u1/u1"


@pytest.mark.parametrize(
    "body, status, message",
    [
        ('{"source": {"id": "x"}', 422, "invalid request"),  # malformed JSON
        ('{"source": {"id": "nope"}, "derived": {"id": "nope"}}', 404, "no article 'nope'"),
        ('{"source": "text", "derived": {"text": "x"}}', 422, "source: expected an object"),
        ('{"source": {"text": "   "}, "derived": {"text": "x"}}', 400, "empty text"),
        ('[1, 2]', 422, "invalid request"),
    ],
)
def test_api_compare_rejects_bad_input_clearly(client, body, status, message):
    response = client.post("/api/compare", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status and message in response.json()["error"]


def test_unknown_ids_are_404_with_a_message(client, story_documents):
    source = story_documents["source_meridian_wire"].id
    for url in ("/api/articles/nope", "/api/articles/nope/sources", f"/api/pairs/{source}/nope", "/api/stories/nope",
                "/api/jobs/nope"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["error"], url
    page = client.get("/articles/nope")
    assert page.status_code == 404 and "no article with id" in page.text


def test_request_paths_never_reach_the_file_system(client, library_db):
    # `Library` accepts file paths for articles not added; the web app must not pass request ids through.
    for ref in (str(library_db), "pyproject.toml", "../../etc/passwd", "%2Fetc%2Fpasswd"):
        assert client.get(f"/api/articles/{ref}/sources").status_code == 404
        assert client.get(f"/api/pairs/{ref}/{ref}").status_code == 404
    assert client.get("/static/..%2F..%2Fapp.py").status_code == 404
    job = client.post("/api/compare", json={"source": {"id": "pyproject.toml"}, "derived": {"url": "/etc/passwd"}})
    assert job.status_code == 404


def csrf_of(client) -> str:
    client.get("/compare")
    return client.cookies["copydesk_csrf"]


def test_compare_form_needs_the_csrf_token(client):
    texts = {"source_text": "The mayor opened 3 bridges on Monday.", "derived_text": "The mayor opened 4 bridges."}
    refused = client.post("/compare", data=texts, follow_redirects=False)
    assert refused.status_code == 403 and "CSRF" in refused.text
    forged = client.post("/compare", data={**texts, "csrf": "guess"}, follow_redirects=False)
    assert forged.status_code == 403
    csrf_of(client)  # with a cookie set, a forged token that is not ASCII is refused too (it was a 500)
    for token in ("\x81", "ü" * 32):
        assert client.post("/compare", data={**texts, "csrf": token}, follow_redirects=False).status_code == 403
    accepted = client.post("/compare", data={**texts, "csrf": csrf_of(client)}, follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"].startswith("/jobs/")
    job = wait_for(client, client.get("/api" + accepted.headers["location"]).json())
    assert job["status"] == "done" and job["result_url"].startswith("/pairs/")


def test_compare_form_uploads(client):
    token = csrf_of(client)
    files = {
        "source_file": ("wire.json", b'{"id": "up-src", "title": "Up", "text": "The port handled 12 ships on Monday."}', "application/json"),
        "derived_file": ("copy.txt", b"The port handled 13 ships on Monday.", "text/plain"),
    }
    response = client.post("/compare", data={"csrf": token}, files=files, follow_redirects=False)
    assert response.status_code == 303
    assert wait_for(client, client.get("/api" + response.headers["location"]).json())["result_url"].startswith("/pairs/up-src/")


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png: unsupported file type"),
        ("a.txt", b"\x00\x01\x02\x03" * 100, "a.txt: binary file"),
        ("a.json", b'{"text": ', "a.json: malformed JSON"),
        ("a.json", b"[" * 100_000 + b"]" * 100_000, "a.json: JSON nested too deeply"),
        ("a.json", b"null", "a.json: record is null, expected a JSON object"),
        ("a.txt", b"   ", "a.txt: empty file"),
        ("../../etc/passwd.txt", b"   ", "passwd.txt: empty file"),  # folders in the name are dropped
    ],
)
def test_compare_form_rejects_bad_uploads_with_a_message(client, name, data, message):
    files = {"source_file": (name, data, "application/octet-stream"), "derived_text": (None, b"Some text here.")}
    response = client.post("/compare", data={"csrf": csrf_of(client)}, files=files)
    assert response.status_code == 400 and message in response.text


def test_oversized_uploads_are_refused(client, settings):
    big = b"word " * (settings.max_bytes // 5 + 10)
    response = client.post("/compare", data={"csrf": csrf_of(client)}, files={"source_file": ("big.txt", big, "text/plain")})
    assert response.status_code in (400, 413) and ("limit" in response.text or "bytes" in response.text)
    api = client.post("/api/compare", content=b"{" + b" " * (2 * settings.max_bytes + 70_000) + b"}",
                      headers={"content-type": "application/json"})
    assert api.status_code == 413 and "limit" in api.json()["error"]


def test_a_chunked_body_past_the_limit_is_refused_while_it_streams(client, settings):
    chunk = b" " * 65_536
    limit = 2 * settings.max_bytes + 65_536

    def body():
        yield b'{"source": {"text": "'
        for _ in range(limit // len(chunk) + 4):
            yield chunk

    response = client.post("/api/compare", content=body(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and "limit" in response.json()["error"]
    form = client.post("/compare", content=body(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert form.status_code == 413
    assert client.get("/api/articles").status_code == 200  # and the server goes on


# Read-only -------------------------------------------------------------------------------------------


def test_read_only_stores_nothing(library_db, settings, story_documents):
    from fastapi.testclient import TestClient

    from copydesk.web.app import create_app

    digest = hashlib.sha256(library_db.read_bytes()).hexdigest()
    app = create_app(library_db, settings=settings, read_only=True, embedder=HashingEmbedder())
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        job = client.post("/api/compare", json={"source": {"id": story_documents["source_meridian_wire"].id},
                                                "derived": {"text": "The council said 4,120 claims were filed."}}).json()
        done = wait_for(client, job)
        assert done["status"] == "done" and done["result_url"] == f"/jobs/{done['id']}/pair"
        assert "4,120" in client.get(done["result_url"]).text
        assert client.get("/api/health").json() == {"articles": 30, "read_only": True, "traced": True}
        wait_for(client, client.post("/api/trace").json())  # tracing read-only keeps relations in memory
        page = client.get("/compare")
        assert "read-only" in page.text
    app.state.copydesk.jobs.shutdown()
    assert hashlib.sha256(library_db.read_bytes()).hexdigest() == digest


def test_read_only_sources_come_from_a_job_whose_relations_the_requests_see(library_db, settings, story_documents):
    """Read-only relations live in memory: the job's connection and the request's must share them."""
    from fastapi.testclient import TestClient

    from copydesk.ingest import document_from_text
    from copydesk.library import Library
    from copydesk.web.app import create_app

    wire = story_documents["source_meridian_wire"]
    with Library.open(library_db, settings, embedder=HashingEmbedder()) as library:
        library.add([document_from_text(wire.text + "\nShare this article", id="late-copy", settings=settings)])
    digest = hashlib.sha256(library_db.read_bytes()).hexdigest()
    app = create_app(library_db, settings=settings, read_only=True, embedder=HashingEmbedder())
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        first = client.get("/api/articles/late-copy/sources")
        assert first.status_code == 202
        assert wait_for(client, first.json())["status"] == "done"
        sources = client.get("/api/articles/late-copy/sources")
        assert sources.status_code == 200 and wire.id in [s["id"] for s in sources.json()["sources"]]
    app.state.copydesk.jobs.shutdown()
    assert hashlib.sha256(library_db.read_bytes()).hexdigest() == digest


# Escaping ---------------------------------------------------------------------------------------------


def test_markup_in_articles_is_escaped_everywhere(client, story_documents):
    compared(client, "hostile", "hostile")  # the pair page shows a kept comparison
    pages = [client.get(u) for u in ("/", "/?q=bridge", "/articles/hostile", "/outlets", "/pairs/hostile/hostile")]
    for page in pages:
        assert page.status_code == 200
        assert "<script>window.__pwned" not in page.text and "<img src=x" not in page.text
        assert "<b onmouseover" not in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "&lt;script&gt;window.__pwned" in pages[2].text
    assert 'href="javascript:' not in pages[2].text and "javascript:window.__pwned=&#39;link&#39;" in pages[2].text
    api = client.get("/api/articles/hostile").json()
    assert api["title"] == XSS_TITLE and api["text"].startswith(XSS_TEXT[:20])  # the API keeps the data as it is


def test_schema_doc_names_every_field_the_api_adds(client, story_documents):
    import re
    from pathlib import Path

    from tests.test_docs import _keys

    paraphrase = story_documents["paraphrase_newspulse"].id
    written = [
        client.get("/api/articles").json(),
        client.get(f"/api/articles/{paraphrase}").json(),
        client.post("/api/trace").json(),
        client.get("/api/health").json(),
        client.get("/api/outlets").json(),
    ]
    doc = (Path(__file__).resolve().parents[2] / "docs" / "schema.md").read_text()
    undocumented = sorted({k for data in written for k in _keys(data) if not re.search(rf"\b{re.escape(k)}\b", doc)})
    assert undocumented == []


def test_confirm_compares_an_articles_new_candidates(client, library_db, settings, story_documents):
    from copydesk.ingest import document_from_text
    from copydesk.library import Library

    source = story_documents["source_meridian_wire"]
    with Library.open(library_db, settings, embedder=HashingEmbedder()) as library:  # added after the trace
        library.add([document_from_text(source.text.replace("4,120", "4,210"), id="late", settings=settings, format="text")])
    before = client.get("/api/articles/late").json()
    assert source.id in before["unconfirmed_candidates"] and before["related"] == []
    job = client.post("/api/articles/late/confirm")
    assert job.status_code == 202 and wait_for(client, job.json())["result_url"] == "/articles/late"
    after = client.get("/api/articles/late").json()
    assert after["unconfirmed_candidates"] == [] and source.id in [r["id"] for r in after["related"]]
    assert client.post("/api/articles/nope/confirm").status_code == 404


# Cross-site and rebinding guards ----------------------------------------------------------------


def every_route(routes):
    """Routes, with those of included routers (which FastAPI keeps as one entry each) spelled out."""
    for route in routes:
        included = getattr(route, "original_router", None)
        yield from every_route(included.routes) if included is not None else (route,)


def unsafe_routes(app):
    """Every route that takes an unsafe method, with its path parameters filled in."""
    for route in every_route(app.routes):
        for method in sorted(getattr(route, "methods", set()) & {"POST", "PUT", "PATCH", "DELETE"}):
            yield method, route.path.replace("{article_id}", "x")


def test_every_unsafe_route_refuses_another_sites_origin_before_running(client, library_db):
    routes = list(unsafe_routes(client.app))
    assert len(routes) >= 6
    before = library_db.read_bytes()
    for method, path in routes:
        for header in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/page"}, {"Origin": "null"}):
            response = client.request(method, path, headers=header, data={"x": "1"})
            assert response.status_code == 403, (method, path, header, response.text)
            assert "cross-site request refused" in response.text
    assert library_db.read_bytes() == before  # nothing ran, nothing was stored


def test_our_own_pages_and_scripts_without_an_origin_may_post(client):
    same = client.post("/api/trace", headers={"Origin": "http://127.0.0.1:8765"})
    assert same.status_code == 202
    bare = client.post("/api/trace")  # curl and scripts send no Origin
    assert bare.status_code == 202


def test_a_host_we_do_not_serve_is_refused_on_every_method(client):
    for method, path in [("GET", "/"), ("GET", "/api/articles"), *unsafe_routes(client.app)]:
        response = client.request(method, path, headers={"Host": "evil.example:8765"})
        assert response.status_code == 421, (method, path)
    assert client.get("/api/articles", headers={"Host": "localhost:8765"}).status_code == 200


def test_allow_host_adds_a_name(library_db, settings):
    from fastapi.testclient import TestClient

    from copydesk.web.app import create_app

    app = create_app(library_db, settings=settings, embedder=HashingEmbedder(), allow_hosts=("desk.example",))
    with TestClient(app, base_url="http://desk.example") as c:
        assert c.get("/api/articles").status_code == 200
        assert c.post("/api/trace", headers={"Origin": "http://desk.example"}).status_code == 202
    app.state.copydesk.jobs.shutdown()


def test_jobs_waiting_past_the_limit_are_refused_not_queued():
    import threading

    from copydesk.web.jobs import MAX_WAITING, Busy, JobRunner

    release = threading.Event()
    runner_ = JobRunner()
    try:
        blocker = runner_.submit("block", "hold the worker", lambda job: release.wait(30) and None)
        deadline = time.monotonic() + 10
        while blocker.status != "running":  # the running job does not count as waiting
            assert time.monotonic() < deadline
            time.sleep(0.01)
        waiting = []
        while len(waiting) < MAX_WAITING:
            waiting.append(runner_.submit("wait", "queued", lambda job: None))
        with pytest.raises(Busy, match="jobs are waiting"):
            runner_.submit("wait", "one too many", lambda job: None)
        assert time.monotonic() < deadline
    finally:
        release.set()
        runner_.shutdown()


def test_a_busy_app_answers_503(client, monkeypatch):
    from copydesk.web import jobs

    def refuse(*args, **kwargs):
        raise jobs.Busy("20 jobs are waiting already; try again when they are done")

    monkeypatch.setattr(client.app.state.copydesk.jobs, "submit", refuse)
    response = client.post("/api/trace")
    assert response.status_code == 503 and "waiting" in response.json()["error"]


def test_a_job_past_its_time_limit_stops_at_its_next_report():
    from copydesk.web.jobs import JobRunner

    runner_ = JobRunner(time_limit_s=0.05)
    reached = []

    def work(job):
        for n in range(1, 1000):
            time.sleep(0.01)
            job.progress(n, 1000, "pairs confirmed")
            reached.append(n)
        return "/stories"

    try:
        job = runner_.submit("trace", "a long trace", work)
        deadline = time.monotonic() + 10
        while job.status in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert job.status == "failed" and "over the job time limit" in job.message
        assert len(reached) < 100 and job.result_url is None
    finally:
        runner_.shutdown()
