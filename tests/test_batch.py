"""Batch compare with several workers: input order, errors in order, the same results as one worker."""

import json
import threading
import time

from copydesk.align.embedder import CachedEmbedder, HashingEmbedder
from copydesk.batch import run_batch
from copydesk.settings import CAPITALISED, Settings

STORIES = [
    ("The strike at the port ended on Tuesday after 12 days, officials said.", "Officials said the port strike ended on Tuesday after 12 days."),
    ("Dockworkers won a 4% raise, the union said.", "The union said dockworkers won a 7% raise."),
    ("A fire closed the Leeds library on Monday.", "The Leeds library shut on Monday after a fire."),
    ("The council will vote on the budget in May.", "Councillors vote on the budget in May."),
]


class SlowFirstEmbedder(HashingEmbedder):
    """Takes longest over the first pair's sentences, so later pairs finish first; records its threads."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[str] = set()

    def embed(self, texts):
        self.threads.add(threading.current_thread().name)
        if any("port" in t for t in texts):
            time.sleep(0.3)
        return super().embed(texts)


def lines() -> list[str]:
    out = [json.dumps({"id": f"p{k}", "source": s, "derived": d}) for k, (s, d) in enumerate(STORIES)]
    out.insert(2, "{not json")
    return out


def run(workers: int, embedder) -> tuple[list[dict], list[tuple[int, str]]]:
    errors: list[tuple[int, str]] = []
    settings = Settings.load(entity_tagger=CAPITALISED)
    results = list(run_batch(lines(), settings=settings, embedder=embedder, workers=workers,
                             on_error=lambda e: errors.append((e.line, e.message))))
    return results, errors


def test_workers_keep_input_order_and_give_the_results_one_worker_gives():
    slow = SlowFirstEmbedder()
    together, together_errors = run(3, CachedEmbedder(slow))
    alone, alone_errors = run(1, CachedEmbedder(HashingEmbedder()))
    assert [r["id"] for r in together] == ["p0", "p1", "p2", "p3"]
    assert together == alone
    assert together_errors == alone_errors and [line for line, _ in together_errors] == [3]
    assert len(slow.threads) > 1  # the pairs really ran at once
