"""Weighted and macro F1 of the event classifier over a CASE 2021 Task 2 TSV.

    .venv/bin/python bench/classify.py [--data PATH] [--subset all|odd|even] [--worst 6]

The TSV has the columns ``id``, ``EventSnippet`` and ``SubType`` (one of the 30 CASE
classes). The default is the development split in ``../shared/data/events/`` beside the
repository. Prints per-class F1, the confusion of the worst classes and the speed, then
the figure last: ``classify: weighted F1 0.NNN``. The best CASE 2021 systems reached
0.771 weighted F1 on all 30 classes of the full test set. ``--subset odd`` / ``even``
scores only the rows of odd / even ``id``: the classifier's design was tuned by reading
errors on the odd half only, so the even half is the fairer estimate of unseen text.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

from tansiq.ingest.reading.classify import CASE_LABELS, classify_many

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "events" / "case2021_task2_dev.tsv"


def read_tsv(path: Path, subset: str = "all") -> tuple[list[str], list[str]]:
    """Snippets and gold labels of a CASE TSV (``subset``: all, odd or even ids).

    Exits with a one-line message if the file is missing or unusable.
    """
    if not path.is_file():
        raise SystemExit(f"bench/classify.py: no such file: {path} (give one with --data)")
    texts, gold = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"id", "EventSnippet", "SubType"} - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(f"bench/classify.py: {path}: missing column(s) {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            if row["SubType"] not in CASE_LABELS:
                raise SystemExit(f"bench/classify.py: {path}:{line}: unknown SubType "
                                 f"{row['SubType']!r}")
            if subset != "all" and (int(row["id"]) % 2 == 1) != (subset == "odd"):
                continue
            texts.append(row["EventSnippet"])
            gold.append(row["SubType"])
    if not texts:
        raise SystemExit(f"bench/classify.py: {path}: no rows")
    return texts, gold


def per_class_f1(gold: list[str], predicted: list[str]) -> dict[str, tuple[float, int]]:
    """F1 and support of every class present in ``gold``."""
    pairs = Counter(zip(gold, predicted, strict=True))
    gold_count, predicted_count = Counter(gold), Counter(predicted)
    out = {}
    for label, support in gold_count.items():
        hits = pairs[(label, label)]
        precision = hits / predicted_count[label] if predicted_count[label] else 0.0
        recall = hits / support
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        out[label] = (f1, support)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="CASE 2021 Task 2 TSV")
    parser.add_argument("--subset", choices=("all", "odd", "even"), default="all",
                        help="score only the rows of odd or even id")
    parser.add_argument("--worst", type=int, default=6, help="classes whose confusion to show")
    args = parser.parse_args()

    texts, gold = read_tsv(args.data, args.subset)
    classify_many(texts[:1])  # load the encoder and the model outside the timing
    started, cpu_started = time.perf_counter(), time.process_time()
    results = classify_many(texts)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    predicted = [r.label for r in results]

    scores = per_class_f1(gold, predicted)
    total = len(gold)
    weighted = sum(f1 * support for f1, support in scores.values()) / total
    macro = sum(f1 for f1, _ in scores.values()) / len(scores)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / total
    event_hits = sum(
        (r.event_type, r.sub_event_type is None) == _event(g)
        for r, g in zip(results, gold, strict=True)
    )

    print(f"{args.data}: {total} snippets, {len(scores)} classes", file=sys.stderr)
    print(f"{'class':<31} {'F1':>6} {'n':>4}")
    for label, (f1, support) in sorted(scores.items(), key=lambda kv: kv[1][0]):
        print(f"{label:<31} {f1:6.3f} {support:4d}")
    print("\nworst classes: gold -> predicted (count)")
    worst = sorted(scores, key=lambda label: scores[label][0])[: args.worst]
    for label in worst:
        wrong = Counter(p for g, p in zip(gold, predicted, strict=True) if g == label and p != g)
        shown = ", ".join(f"{p} {n}" for p, n in wrong.most_common(4))
        stolen = Counter(g for g, p in zip(gold, predicted, strict=True) if p == label and g != p)
        taken = ", ".join(f"{g} {n}" for g, n in stolen.most_common(3))
        print(f"  {label}: missed as {shown or '-'}; wrongly given to {taken or '-'}")
    print(f"\naccuracy {accuracy:.3f}; ACLED event type right {event_hits / total:.3f}")
    # CPU time is the one-core figure; wall time also counts other processes' load.
    print(f"speed: {total / cpu:.0f} snippets/s of CPU time on one core, "
          f"{total / elapsed:.0f}/s wall (one batch, after loading)")
    print(f"macro F1 {macro:.3f}")
    print(f"classify: weighted F1 {weighted:.3f}")


def _event(label: str) -> tuple[str | None, bool]:
    from tansiq.ingest.reading.classify import CASE_TO_ACLED

    acled = CASE_TO_ACLED[label]
    return (acled[0] if acled else None, acled is None)


if __name__ == "__main__":
    main()
