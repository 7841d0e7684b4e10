import gzip
import json
import io
import sys

from copydesk.ingest.stream import iter_documents

ARTICLE = "Dockworkers at Tull ended a 12-day strike on Tuesday after winning a 4% raise, the union said.\n"
HTML = (
    "<html><head><title>Port strike ends</title></head><body><article><p>"
    + ARTICLE * 3
    + "</p></article></body></html>"
)


def warc_record(url: str, body: bytes, content_type: str = "text/html", headers: str = "") -> bytes:
    """A WARC response record; `headers`: more HTTP header lines, each ending in CRLF."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\n" + headers.encode() + b"\r\n" + body
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
        "WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: %s\r\n"
        "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
    ) % (abs(hash(url)), url, len(http))
    return head.encode() + http + b"\r\n\r\n"


def collect(inputs, settings):
    errors = []
    docs = list(iter_documents(inputs, settings, errors.append))
    return docs, [str(e) for e in errors]


def test_folders_are_walked_and_hidden_files_skipped(tmp_path, settings):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(ARTICLE)
    (tmp_path / "a" / "two.html").write_text(HTML)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "junk.txt").write_text(ARTICLE)
    docs, errors = collect([str(tmp_path)], settings)
    assert errors == [] and len(docs) == 2
    assert {d.format for d in docs} == {"text", "html"}


def test_globs_and_missing_paths(tmp_path, settings):
    (tmp_path / "x.txt").write_text(ARTICLE)
    docs, errors = collect([str(tmp_path / "*.txt"), str(tmp_path / "*.none"), str(tmp_path / "gone.txt")], settings)
    assert len(docs) == 1
    assert any("no files match" in e for e in errors) and any("gone.txt: no such file" in e for e in errors)


def test_bad_jsonl_records_are_reported_with_line_and_skipped(tmp_path, settings):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b'{"id": "r1", "text": "' + ARTICLE.strip().encode() + b'"}\n'
        b"{not json\n"
        b'{"id": "r3", "text": ""}\n'
        b"\xff\xfe\x00bad\n"
        + json.dumps({"id": "r5", "html": HTML}).encode() + b"\n"
    )
    docs, errors = collect([str(path)], settings)
    assert [d.id for d in docs] == ["r1", "r5"]
    assert len(errors) == 3
    assert errors[0].startswith(f"{path}:2") and "malformed JSON" in errors[0]
    assert f"{path}:3 (id r3)" in errors[1] and "no non-empty" in errors[1]
    assert errors[2].startswith(f"{path}:4")


def test_warc_responses_become_documents(tmp_path, settings):
    path = tmp_path / "crawl.warc.gz"
    data = (
        warc_record("https://news.example/strike", HTML.encode())
        + warc_record("https://news.example/logo.png", b"\x89PNG....", "image/png")
        + warc_record("https://news.example/empty", b"<html><body></body></html>")
    )
    path.write_bytes(gzip.compress(data))
    docs, errors = collect([str(path)], settings)
    assert [d.url for d in docs] == ["https://news.example/strike"]
    assert docs[0].format == "html" and "strike" in docs[0].text
    assert len(errors) == 1 and "news.example/empty" in errors[0]


def test_stdin_jsonl_and_text(monkeypatch, settings):
    class Stdin:
        def __init__(self, data):
            self.buffer = io.BufferedReader(io.BytesIO(data))

    monkeypatch.setattr(sys, "stdin", Stdin(b'{"id": "s1", "text": "' + ARTICLE.strip().encode() + b'"}\n'))
    docs, _ = collect(["-"], settings)
    assert [d.id for d in docs] == ["s1"]
    monkeypatch.setattr(sys, "stdin", Stdin(ARTICLE.encode()))
    docs, _ = collect(["-"], settings)
    assert len(docs) == 1 and docs[0].text == ARTICLE


def test_a_file_named_warc_that_is_not_one_is_reported(tmp_path, settings):
    path = tmp_path / "fake.warc"
    path.write_text("just some text, not an archive\n")
    docs, errors = collect([str(path)], settings)
    assert docs == [] and len(errors) == 1 and "fake.warc" in errors[0] and "WARC" in errors[0]


def test_a_truncated_warc_stores_only_whole_records(tmp_path, settings):
    whole = warc_record("https://news.example/one", HTML.encode())
    cut = warc_record("https://news.example/two", HTML.replace("strike", "walkout").encode())
    plain = tmp_path / "cut.warc"
    plain.write_bytes(whole + cut[: len(cut) - 150])  # the crawl stopped mid-body
    docs, errors = collect([str(plain)], settings)
    assert [d.url for d in docs] == ["https://news.example/one"]
    assert len(errors) == 1 and "news.example/two" in errors[0] and "truncated" in errors[0]
    packed = gzip.compress(whole + cut)
    compressed = tmp_path / "cut.warc.gz"
    compressed.write_bytes(packed[: len(packed) - 60])
    docs, errors = collect([str(compressed)], settings)
    assert [d.url for d in docs] in ([], ["https://news.example/one"])  # never the cut one
    assert errors and all("two" in e or "corrupt" in e or "truncated" in e for e in errors)


def test_warc_bodies_are_decoded_as_the_server_said(tmp_path, settings):
    french = "<html><head><title>Genève</title></head><body><article><p>" + (
        "Le ministre a été réélu à Genève, où la députée s'est présentée très tôt. " * 3) + "</p></article></body></html>"
    packed = gzip.compress(HTML.encode())
    data = (
        warc_record("https://news.example/fr", french.encode("latin-1"), "text/html; charset=iso-8859-1")
        + warc_record("https://news.example/gz", packed, headers="Content-Encoding: gzip\r\n")
        + warc_record("https://news.example/cut", packed[: len(packed) // 2], headers="Content-Encoding: gzip\r\n")
    )
    path = tmp_path / "crawl.warc"
    path.write_bytes(data)
    docs, errors = collect([str(path)], settings)
    by_url = {d.url: d for d in docs}
    assert "réélu à Genève" in by_url["https://news.example/fr"].text
    assert "strike" in by_url["https://news.example/gz"].text
    assert "https://news.example/cut" not in by_url
    assert len(errors) == 1 and "news.example/cut" in errors[0] and "cut short" in errors[0]
