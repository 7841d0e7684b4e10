"""The `copydesk.compare/1` JSON schema (documented in docs/schema.md)."""

from __future__ import annotations

from typing import Any

from copydesk.models import CompareResult, SegmentedDocument

SCHEMA = "copydesk.compare/1"


def _document(seg: SegmentedDocument) -> dict[str, Any]:
    doc = seg.document
    return {
        "id": doc.id,
        "title": doc.title,
        "author": doc.author,
        "published": doc.published,
        "site": doc.site,
        "url": doc.url,
        "path": doc.path,
        "format": doc.format,
        "warnings": list(doc.warnings),
        "sentences": [{"i": s.index, "start": s.start, "end": s.end, "text": s.text} for s in seg.sentences],
        "boilerplate": [
            {"start": b.start, "end": b.end, "text": b.text, "reason": b.reason} for b in seg.boilerplate
        ],
    }


def to_json_dict(result: CompareResult) -> dict[str, Any]:
    from copydesk import __version__

    return {
        "schema": SCHEMA,
        "copydesk_version": __version__,
        "settings": result.settings,
        "source": _document(result.source),
        "derived": _document(result.derived),
        "alignments": [
            {
                "derived": list(a.derived),
                "source": list(a.source),
                "score": round(a.score, 4),
                "similarity": round(a.similarity, 4),
                "anchors": list(a.anchors),
            }
            for a in result.alignments
        ],
        "verdicts": [
            {
                "derived": v.derived,
                "verdict": v.verdict,
                "addition": v.addition,
                "verifier_score": v.verifier_score,
                "findings": [
                    {
                        "kind": f.kind,
                        "derived_span": list(f.derived_span),
                        "source_span": list(f.source_span) if f.source_span else None,
                        "explanation": f.explanation,
                        "severity": f.severity,
                    }
                    for f in v.findings
                ],
            }
            for v in result.verdicts
        ],
        "omitted": [o.source for o in result.omissions],
        "omissions": [{"source": o.source, "facts": list(o.facts)} for o in result.omissions],
        "summary": {
            "same_story": result.summary.same_story,
            "derived_backed_share": result.summary.derived_backed_share,
            "source_reused_share": result.summary.source_reused_share,
            "derived": result.summary.derived,
        },
    }
