"""lag.png: each design's detection-lag distribution as a box plot with every job drawn over it."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen before pyplot is imported


def plot_lag(records: list[dict[str, Any]], designs: tuple[str, ...], interval_s: int, title: str, path: Path) -> None:
    samples = [
        [record["detectionLagSeconds"] for record in records
         if record["design"] == design and record["outcome"] == "completed" and record.get("detectionLagSeconds") is not None]
        for design in designs
    ]
    figure, axes = plt.subplots(figsize=(9, 1.6 + 1.2 * len(designs)))
    positions = list(range(1, len(designs) + 1))
    drawn = [(position, sample) for position, sample in zip(positions, samples) if sample]
    if drawn:
        axes.boxplot([sample for _, sample in drawn], positions=[position for position, _ in drawn],
                     vert=False, widths=0.5, showfliers=False)
    # Jitter is seeded so the same results give the same picture.
    jitter = random.Random(0)
    for position, sample in drawn:
        axes.scatter(sample, [position + jitter.uniform(-0.18, 0.18) for _ in sample], s=8, alpha=0.45)

    axes.axvline(interval_s, linestyle="--", color="grey", linewidth=1)
    axes.annotate(f"polling interval {interval_s} s", xy=(interval_s, 0.55), xytext=(4, 0),
                  textcoords="offset points", color="grey", fontsize=8)
    axes.set_yticks(positions)
    axes.set_yticklabels([f"{design}\n(n={len(sample)})" for design, sample in zip(designs, samples)])
    axes.set_ylim(0.4, len(designs) + 0.6)
    axes.set_xlim(left=0)
    axes.set_xlabel("detection lag: workflow end minus the job's completedAt (s)")
    axes.set_title(title, fontsize=10)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
