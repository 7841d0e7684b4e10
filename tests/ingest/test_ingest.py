import json

import pytest

from copydesk.errors import InputError
from copydesk.ingest import document_from_record, document_from_text, load_document, read_documents
from copydesk.settings import Settings

ARTICLE = "The port strike ended on Tuesday after 12 days, officials said. Dockworkers won a raise of 4%."


def test_plain_text_keeps_text_and_headline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Port strike ends\n\n" + ARTICLE, encoding="utf-8")
    doc = load_document(path)
    assert doc.text.startswith("Port strike ends")
    assert doc.title == "Port strike ends"
    assert doc.format == "text" and doc.warnings == ()


def test_html_extracts_main_text_and_metadata(tmp_path):
    html = (
        "<html><head><title>Strike ends | Harbor Times</title><meta name='author' content='Jane Roe'>"
        "<meta property='og:site_name' content='Harbor Times'>"
        "<meta property='article:published_time' content='2024-03-05'></head><body>"
        "<nav>Home | News | Sport</nav><article><h1>Strike ends</h1><p>" + ARTICLE + "</p></article></body></html>"
    )
    path = tmp_path / "a.html"
    path.write_text(html, encoding="utf-8")
    doc = load_document(path)
    assert "Dockworkers won a raise" in doc.text
    assert "Home | News" not in doc.text
    assert (doc.author, doc.site, doc.published) == ("Jane Roe", "Harbor Times", "2024-03-05")


def test_json_record_fields(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"id": "x1", "url": "https://e.example/a", "title": "T", "published": "2024-01-02", "text": ARTICLE}))
    doc = load_document(path)
    assert (doc.id, doc.url, doc.title, doc.published) == ("x1", "https://e.example/a", "T", "2024-01-02")


def test_jsonl_yields_each_record_and_names_bad_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": 1, "text": ARTICLE}) + "\n{oops\n")
    docs = read_documents(path)
    assert next(docs).id == "1"
    with pytest.raises(InputError, match=r"a\.jsonl:2: malformed JSON"):
        next(docs)


def test_record_with_html_field():
    doc = document_from_record({"id": "h", "html": "<html><body><article><p>" + ARTICLE + "</p></article></body></html>"}, "rec")
    assert doc.format == "html" and "port strike" in doc.text.lower()


def test_latin1_file_is_decoded(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(("Caf\u00e9 owners in Z\u00fcrich said the strike cost them \u00a3200 a day. " * 5).encode("cp1252"))
    assert "Caf\u00e9" in load_document(path).text


@pytest.mark.parametrize(
    "data, expected",
    [
        # Short French in Latin-1: charset_normalizer alone read it as Windows-1250 ("Genčve").
        ("Le ministre a été réélu à Genève, où la députée s'est présentée.".encode("latin-1"), "réélu à Genève, où"),
        ("Père Noël arrive. Il est très gentil.".encode("latin-1"), "Père Noël"),
        # UTF-8 and Windows-1252 pasted together into one file.
        ("Le café est fermé. ".encode() + "Le théâtre a rouvert à Genève.".encode("cp1252"), "fermé. Le théâtre a rouvert à Genève"),
        # UTF-16 saved without a byte-order mark was called binary.
        (("The council met on Tuesday and approved the budget. " * 3).encode("utf-16-le"), "approved the budget"),
        (("The council met on Tuesday and approved the budget. " * 3).encode("utf-16-be"), "approved the budget"),
        # Other single-byte encodings still go to detection.
        ("Příliš žluťoučký kůň úpěl ďábelské ódy. Řeka teče přes louky.".encode("cp1250"), "žluťoučký kůň"),
    ],
)
def test_encodings_seen_in_real_files(data, expected):
    from copydesk.ingest.decode import decode_bytes

    assert expected in decode_bytes(data, "f.txt", 10**6)


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_text(""), "empty file"),
        (lambda p: p.write_text("  \n\t \n"), "empty file"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20), "binary file"),
        (lambda p: p.write_bytes(b"ok " + bytes(range(128, 256)) * 3), "undecodable"),
        (lambda p: p.write_text("x " * 600), "file is 1,200 bytes, over the 1,000-byte limit"),
    ],
)
def test_bad_files_raise_one_line_errors_naming_the_file(tmp_path, make, problem):
    path = tmp_path / "bad.txt"
    make(path)
    with pytest.raises(InputError, match=problem) as info:
        load_document(path, Settings.load(max_bytes=1000))
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message


def test_html_without_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><script>var a=1;</script></body></html>")
    with pytest.raises(InputError, match="no extractable article text"):
        load_document(path)


def test_malformed_json_names_file_and_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"text": "a",\n  oops}')
    with pytest.raises(InputError, match=r"bad\.json:2: malformed JSON"):
        load_document(path)


def test_record_without_text(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"id": "a", "title": "no body"}))
    with pytest.raises(InputError, match="no non-empty 'text' or 'html'"):
        load_document(path)


def test_several_records_in_one_file_are_refused_for_compare(tmp_path):
    path = tmp_path / "two.jsonl"
    path.write_text(json.dumps({"text": ARTICLE}) + "\n" + json.dumps({"text": ARTICLE + " More."}) + "\n")
    with pytest.raises(InputError, match="several records"):
        load_document(path)


def test_non_english_text_warns_but_loads():
    doc = document_from_text("Der Hafenstreik endete am Dienstag nach zwölf Tagen, sagten Beamte der Stadt. " * 3)
    assert doc.warnings and "does not look like English" in doc.warnings[0]


def test_content_id_is_stable():
    assert document_from_text(ARTICLE).id == document_from_text(ARTICLE).id
    assert document_from_text(ARTICLE).id != document_from_text(ARTICLE + " Extra.").id


def test_html_nested_past_libxml2s_depth_keeps_its_text():
    from copydesk.ingest.html import extract_html, nesting_depth

    body = "<p>" + "The council approved the new bridge on Tuesday after a long debate. " * 5 + "</p>"
    html = "<html><body>" + "<div>" * 400 + body + "</div>" * 400 + "</body></html>"
    assert nesting_depth(html) == 403
    assert "approved the new bridge" in extract_html(html, "deep.html").text
    assert nesting_depth("<p>a<br>b<img src=x/></p>") == 1
