"""Train the event classifier from the shipped snippets and write its model file.

    python tools/train_classifier.py            # cross-validate, train, write the model
    python tools/train_classifier.py --check    # fail if the shipped model is stale

Reads ``src/tansiq/data/event_snippets.txt`` (hand-written, see its header) and writes
``src/tansiq/data/event_classifier.npz``: a softmax model over the features of
``tansiq.ingest.reading.event_model``. Deterministic (L-BFGS from zero, no shuffling).
Also prints figures on the training data itself, which never sees the CASE 2021 data:
5-fold cross-validated F1 over the English snippets (the Arabic ones, translations of
some English ones, are left out of it so no event is seen twice), and how often a model
trained on the English snippets alone gets the ACLED event type of each Arabic snippet.
Needs scikit-learn (a test dependency; the product needs only numpy at run time).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from tansiq.ingest.reading.classify import CASE_LABELS, CASE_TO_ACLED
from tansiq.ingest.reading.event_cues import CUE_NAMES
from tansiq.ingest.reading.event_model import (
    FEATURE_VERSION,
    MODEL_FILE,
    SNIPPETS_FILE,
    LinearModel,
    embed,
    prepare,
    snippets_digest,
)
from tansiq.ingest.reading.event_snippets import Snippet, parse_snippets

DATA = Path(__file__).resolve().parents[1] / "src" / "tansiq" / "data"
# Chosen by the cross-validation on the training snippets below, never on CASE data.
C = 2.0
CUE_WEIGHT = 0.35


def load() -> list[Snippet]:
    """The shipped training snippets; raises ValueError on a malformed file."""
    return parse_snippets((DATA / SNIPPETS_FILE).read_text(encoding="utf-8"), CASE_LABELS)


def _fit(
    x: npt.NDArray[np.float32], y: list[str], c: float
) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=5000, tol=1e-5, class_weight="balanced")
    model.fit(x, y)
    return model


def _features(
    emb: npt.NDArray[np.float32], cue: npt.NDArray[np.float32], weight: float
) -> npt.NDArray[np.float32]:
    return np.hstack([emb, weight * cue]).astype(np.float32)


def cross_validate(
    snippets: list[Snippet], emb: npt.NDArray[np.float32], cue: npt.NDArray[np.float32],
    c: float, weight: float,
) -> tuple[float, float]:
    """Weighted and macro F1 of 5-fold cross-validation over the English snippets."""
    english = [i for i, s in enumerate(snippets) if s.language == "en"]
    x = _features(emb[english], cue[english], weight)
    y = np.array([snippets[i].label for i in english])
    predicted = np.empty_like(y)
    for train, test in StratifiedKFold(n_splits=5, shuffle=False).split(x, y):
        predicted[test] = _fit(x[train], list(y[train]), c).predict(x[test])
    return (
        float(f1_score(y, predicted, average="weighted")),
        float(f1_score(y, predicted, average="macro")),
    )


def arabic_transfer(
    snippets: list[Snippet], emb: npt.NDArray[np.float32], cue: npt.NDArray[np.float32],
    c: float, weight: float,
) -> float:
    """Share of Arabic snippets whose ACLED event type an English-only model gets right."""
    english = [i for i, s in enumerate(snippets) if s.language == "en"]
    arabic = [i for i, s in enumerate(snippets) if s.language == "ar"]
    model = _fit(_features(emb[english], cue[english], weight),
                 [snippets[i].label for i in english], c)
    predicted = model.predict(_features(emb[arabic], cue[arabic], weight))

    def event_type(label: str) -> str | None:
        acled = CASE_TO_ACLED[label]
        return acled[0] if acled else None

    hits = sum(
        event_type(str(p)) == event_type(snippets[i].label)
        for p, i in zip(predicted, arabic, strict=True)
    )
    return hits / len(arabic)


def train(snippets: list[Snippet], emb: npt.NDArray[np.float32],
          cue: npt.NDArray[np.float32]) -> LinearModel:
    """The model trained on every snippet, English and Arabic."""
    fitted = _fit(_features(emb, cue, CUE_WEIGHT), [s.label for s in snippets], C)
    return LinearModel(
        labels=tuple(str(label) for label in fitted.classes_),
        coef=fitted.coef_.astype(np.float32),
        intercept=fitted.intercept_.astype(np.float32),
        cue_weight=CUE_WEIGHT,
        cue_names=CUE_NAMES,
        feature_version=FEATURE_VERSION,
        snippets_sha256=snippets_digest(),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that the shipped model matches the snippets")
    parser.add_argument("--grid", action="store_true",
                        help="cross-validate a grid of C and cue weights first")
    args = parser.parse_args(argv)
    if args.check:
        shipped = LinearModel.from_bytes((DATA / MODEL_FILE).read_bytes())
        if shipped.snippets_sha256 != snippets_digest():
            print(f"{MODEL_FILE} is stale: run tools/train_classifier.py", file=sys.stderr)
            return 1
        print(f"{MODEL_FILE} matches {SNIPPETS_FILE}")
        return 0
    from tansiq.ingest.reading.event_cues import cue_vector

    snippets = load()
    texts = [prepare(s.text) for s in snippets]
    emb, cue = embed(texts), cue_vector(texts)
    if args.grid:
        for c in (1.0, 2.0, 4.0, 8.0):
            for weight in (0.0, 0.35, 0.5, 0.75):
                wf1, mf1 = cross_validate(snippets, emb, cue, c, weight)
                print(f"C={c:<5} cue_weight={weight:<5} weighted F1 {wf1:.3f} macro {mf1:.3f}",
                      flush=True)
    wf1, mf1 = cross_validate(snippets, emb, cue, C, CUE_WEIGHT)
    transfer = arabic_transfer(snippets, emb, cue, C, CUE_WEIGHT)
    model = train(snippets, emb, cue)
    (DATA / MODEL_FILE).write_bytes(model.to_bytes())
    english = sum(s.language == "en" for s in snippets)
    print(f"snippets: {len(snippets)} ({english} English, {len(snippets) - english} Arabic)")
    print(f"arabic event type from an English-only model: {transfer:.3f}")
    print(f"wrote {DATA / MODEL_FILE} ({(DATA / MODEL_FILE).stat().st_size} bytes)")
    print(f"train: 5-fold CV on English snippets: weighted F1 {wf1:.3f} macro F1 {mf1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
