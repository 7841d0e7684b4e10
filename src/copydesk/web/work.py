"""The background jobs pages and the API start: confirming candidates, tracing, comparing."""

from __future__ import annotations

from copydesk.models import Document
from copydesk.web.jobs import Job
from copydesk.web.state import Stories, WebState


def confirm_job(state: WebState, article_id: str) -> Job:
    def work(job: Job) -> str:
        library = state.library()
        pending = library.unconfirmed(article_id)
        for done, other in enumerate(pending, 1):
            library.relate(article_id, other)
            job.progress(done, len(pending), f"compared with {other}")
        library.sources(article_id)  # and how its sources relate to each other (siblings), kept too
        return f"/articles/{article_id}"

    return state.jobs.submit("confirm", f"confirm the candidates of {article_id}", work)


def trace_job(state: WebState) -> Job:
    def work(job: Job) -> str:
        library = state.library()
        clusters = library.trace(on_progress=lambda done, total: job.progress(done, total, "pairs confirmed"))
        titles = {m: library.article(m).title for c in clusters for m in c.members}
        state.stories = Stories(clusters, titles)
        return "/stories"

    return state.jobs.submit("trace", "trace the whole library", work)


def compare_job(state: WebState, source: Document | str, derived: Document | str) -> Job:
    def work(job: Job) -> str:
        library = state.library()
        ids = []
        for n, item in enumerate((source, derived), 1):
            if isinstance(item, Document) and not state.read_only:
                report = library.add([item])
                item = (report.added or report.present)[0]
            ids.append(item)
            job.progress(n, 3, "read the articles")
        result = library.compare(ids[0], ids[1])
        job.progress(3, 3, "compared")
        if all(isinstance(i, str) for i in ids):
            state.remember_pair((ids[0], ids[1]), result)
            return f"/pairs/{ids[0]}/{ids[1]}"
        job.result = result  # read-only: the uploads are not stored, the result lives with the job
        return f"/jobs/{job.id}/pair"

    return state.jobs.submit("compare", "compare two articles", work)
