"""One self-contained HTML page: the two texts side by side, linked.

Every piece of article text goes through `html.escape`; article text never
reaches JavaScript as code or markup (the script reads only data-* ids).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import defaultdict
from dataclasses import dataclass

from copydesk.models import CompareResult, SegmentedDocument
from copydesk.report import headline

# One colour per finding kind, so a reader can tell a changed number from a shifted attribution at a glance.
KIND_COLOURS = {
    "number_changed": "#ffb4a2", "time_scope_changed": "#ffd6a5", "entity_changed": "#fdffb6",
    "entity_generalized": "#e4f1a5", "quote_altered": "#caffbf", "quote_fabricated": "#9bf6ff",
    "attribution_shifted": "#a0c4ff", "attribution_dropped": "#bdb2ff", "quantifier_changed": "#ffc6ff",
    "hedge_changed": "#f1c0e8", "negation_flipped": "#ff8fab", "comparison_changed": "#cfbaf0",
    "meaning_changed": "#d9d9d9",
}
_KIND_CSS = "".join(f"mark.f.k-{kind}{{background:{colour}}}" for kind, colour in KIND_COLOURS.items())

CSS = """
body{font:15px/1.55 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{padding:14px 22px;background:#1d2330;color:#fff}
header h1{font-size:18px;margin:0 0 4px}
.bar{display:flex;gap:18px;flex-wrap:wrap;font-size:14px}
.bar b{font-weight:600}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:18px;padding:18px 22px}
.col{background:#fff;border-radius:8px;padding:14px 18px;box-shadow:0 1px 3px #0002}
.col h2{font-size:15px;margin:0 0 2px}.meta{color:#667;font-size:12px;margin-bottom:10px}
.text{white-space:pre-wrap}
.s{cursor:pointer;border-radius:3px;transition:background .15s}
.s.supported{background:#e5f5e9}.s.distorted{background:#fff3cd}.s.unsupported{background:#fde2e1}
.s.unsupported.filler{background:#f3e8fd}
.s.reused{background:#e5f5e9}.s.omitted{background:#fde2e1;text-decoration:underline dotted #c33}
.s.lit{outline:2px solid #2563eb;background:#dbe7ff}
.bp{color:#9aa0aa;background:#f0f0f0;font-style:italic}
mark.f{background:#ffd56b;border-bottom:2px solid #d97706;padding:0 1px;cursor:help}
mark.f.lit{outline:2px solid #111;box-shadow:0 0 0 3px #f59e0b}
{KIND_CSS}
.legend .lg-supported{background:#e5f5e9}.legend .lg-distorted{background:#fff3cd}
.legend .lg-unsupported{background:#fde2e1}.legend .lg-filler{background:#f3e8fd}.legend .lg-changed{background:#ffd56b}
.legend{font-size:12px;color:#445;padding:0 22px}
.legend span{display:inline-block;padding:1px 6px;margin-right:6px;border-radius:3px}
#detail{position:sticky;bottom:0;background:#1d2330;color:#fff;padding:8px 22px;font-size:14px;min-height:20px}
""".replace("{KIND_CSS}", _KIND_CSS)

SCRIPT = """
(function(){
  const detail=document.getElementById('detail');
  function clear(){document.querySelectorAll('.lit').forEach(e=>e.classList.remove('lit'));}
  function light(el,scroll){
    clear(); el.classList.add('lit');
    const ids=(el.dataset.links||'').split(' ').filter(Boolean);
    ids.forEach((id,k)=>{const p=document.getElementById(id); if(p){p.classList.add('lit'); if(scroll&&k===0)p.scrollIntoView({block:'center',behavior:'smooth'});}});
    detail.textContent=el.dataset.note||'';
  }
  document.querySelectorAll('.s').forEach(el=>{
    el.addEventListener('mouseenter',()=>light(el,false));
    el.addEventListener('click',()=>light(el,true));
  });
  document.querySelectorAll('mark.f').forEach(el=>{
    el.addEventListener('click',ev=>{ev.stopPropagation(); clear();
      document.querySelectorAll('[data-finding="'+el.dataset.finding+'"]').forEach(m=>m.classList.add('lit'));
      const twin=[...document.querySelectorAll('[data-finding="'+el.dataset.finding+'"]')].find(m=>m!==el);
      if(twin) twin.scrollIntoView({block:'center',behavior:'smooth'});
      detail.textContent=el.title;});
  });
})();
"""


# Only our own script may run: the policy allows exactly its hash.
_JS_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()


def _esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _render_text(
    seg: SegmentedDocument,
    prefix: str,
    classes: dict[int, str],
    links: dict[int, list[str]],
    notes: dict[int, str],
    marks: list[tuple[int, int, str, str, str]],
) -> str:
    """The document text with sentences, boilerplate and finding marks wrapped."""
    text = seg.document.text
    regions = [(s.start, s.end, "s", s.index) for s in seg.sentences]
    regions += [(b.start, b.end, "bp", b.reason) for b in seg.boilerplate]
    regions.sort()
    out = []
    pos = 0
    for start, end, kind, key in regions:
        if start < pos:
            continue
        out.append(_esc(text[pos:start]))
        if kind == "bp":
            out.append(f'<span class="bp" title="boilerplate: {_esc(str(key))}">{_esc(text[start:end])}</span>')
        else:
            inner = _render_marks(text, start, end, marks)
            out.append(
                f'<span class="s {classes.get(key, "")}" id="{prefix}{key}" '
                f'data-links="{" ".join(links.get(key, []))}" data-note="{_esc(notes.get(key, ""))}">{inner}</span>'
            )
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _render_marks(text: str, start: int, end: int, marks: list[tuple[int, int, str, str, str]]) -> str:
    inside = sorted(m for m in marks if start <= m[0] and m[1] <= end and m[0] < m[1])
    out, pos = [], start
    for m_start, m_end, finding_id, kind, title in inside:
        if m_start < pos:
            continue
        out.append(_esc(text[pos:m_start]))
        out.append(
            f'<mark class="f k-{kind}" data-finding="{finding_id}" data-kind="{kind}" title="{_esc(title)}">'
            f"{_esc(text[m_start:m_end])}</mark>"
        )
        pos = m_end
    out.append(_esc(text[pos:end]))
    return "".join(out)


def _column(seg: SegmentedDocument, role: str, body: str) -> str:
    doc = seg.document
    meta = " · ".join(_esc(x) for x in (doc.site, doc.author, doc.published, doc.url or doc.path) if x)
    return (
        f'<section class="col"><h2>{role}: {_esc(doc.title or doc.path or doc.id)}</h2>'
        f'<div class="meta">{meta}</div><div class="text">{body}</div></section>'
    )


@dataclass(frozen=True)
class PairMarkup:
    """The escaped pieces of a pair view, for this report and for the web app's pair page."""

    bar: str
    legend: str
    source_column: str
    derived_column: str
    settings_json: str


def pair_markup(result: CompareResult) -> PairMarkup:
    d_class: dict[int, str] = {}
    d_links: dict[int, list[str]] = defaultdict(list)
    s_links: dict[int, list[str]] = defaultdict(list)
    d_notes: dict[int, str] = {}
    s_notes: dict[int, str] = {}
    for a in result.alignments:
        for i in a.derived:
            d_links[i] += [f"s{j}" for j in a.source]
            d_notes[i] = f"score {a.score:.2f} · retells source sentence(s) {', '.join(map(str, a.source))}"
        for j in a.source:
            s_links[j] += [f"d{i}" for i in a.derived]
            s_notes[j] = f"retold by derived sentence(s) {', '.join(map(str, a.derived))}"
    d_marks: list[tuple[int, int, str, str, str]] = []
    s_marks: list[tuple[int, int, str, str, str]] = []
    for v in result.verdicts:
        d_class[v.derived] = v.verdict + (f" {v.addition}" if v.addition else "")
        if v.verdict == "unsupported":
            d_notes[v.derived] = f"unsupported addition ({v.addition}): no source sentence backs it"
        for n, f in enumerate(v.findings):
            fid = f"f{v.derived}-{n}"
            title = f"{f.kind}: {f.explanation}"
            d_marks.append((f.derived_span[0], f.derived_span[1], fid, f.kind, title))
            if f.source_span:
                s_marks.append((f.source_span[0], f.source_span[1], fid, f.kind, title))
        if v.findings:
            d_notes[v.derived] = "; ".join(f"{f.kind}: {f.explanation}" for f in v.findings)
    omitted = {o.source: o for o in result.omissions}
    s_class = {s.index: ("omitted" if s.index in omitted else "reused") for s in result.source.sentences}
    for j, o in omitted.items():
        s_notes[j] = "omitted from the retelling" + (f" · carried: {', '.join(o.facts)}" if o.facts else "")
    summary = result.summary
    counts = {k: sum(v.verdict == k for v in result.verdicts) for k in ("supported", "distorted", "unsupported")}
    bar = (
        f'<div class="bar"><span><b>{headline(summary)}</b></span>'
        f"<span>{summary.derived_backed_share:.0%} of derived text backed</span>"
        f"<span>{summary.source_reused_share:.0%} of source reused</span>"
        + "".join(f"<span>{n} {k}</span>" for k, n in counts.items())
        + f"<span>{len(result.omissions)} omitted</span></div>"
    )
    source_col = _column(
        result.source, "Source", _render_text(result.source, "s", s_class, s_links, s_notes, s_marks)
    )
    derived_col = _column(
        result.derived, "Derived", _render_text(result.derived, "d", d_class, d_links, d_notes, d_marks)
    )
    legend = (
        '<p class="legend"><span class="lg-supported">supported / reused</span>'
        '<span class="lg-distorted">distorted</span><span class="lg-unsupported">unsupported (factual) / omitted</span>'
        '<span class="lg-filler">unsupported (filler)</span><span class="bp">boilerplate</span>'
        '<span class="lg-changed">changed fact (colour per kind)</span> Hover or click a sentence to see its partner; '
        "click a changed fact to see it in both texts.</p>"
    )
    return PairMarkup(bar, legend, source_col, derived_col, _esc(json.dumps(result.settings, sort_keys=True)))


def render_html(result: CompareResult) -> str:
    """A self-contained page: styles and script inline, a policy that lets only that script run."""
    m = pair_markup(result)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        f"style-src 'unsafe-inline'; script-src 'sha256-{_JS_HASH}'\">"
        f"<title>copydesk: {_esc(result.derived.document.title or 'comparison')}</title><style>{CSS}</style></head><body>"
        f"<header><h1>copydesk compare</h1>{m.bar}</header>{m.legend}"
        f'<main class="cols">{m.source_column}{m.derived_column}</main>'
        f'<div id="detail"></div><details class="legend"><summary>settings</summary><code>{m.settings_json}</code></details>'
        f"<script>{SCRIPT}</script></body></html>"
    )
