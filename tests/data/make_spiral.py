"""Writes ``scenarios/spiral.csv``, the built-in ``spiral`` lesson's three-class data set.

Three arms of a spiral, 50 points each, around the origin: point i of arm c
(c = 1, 2, 3) lies at radius r = 0.2 + 0.8·i/49 and angle
θ = 2π(c − 1)/3 + 1.5π·r + ε, ε drawn from a normal distribution of
deviation 0.12 (numpy's ``default_rng(SEED)``), so each arm winds a good
half turn and the arms never touch. Columns: x1 = r·cos θ and x2 = r·sin θ
to three decimals, then the class one-hot (t1, t2, t3). Rows go arm 1, 2, 3,
1, 2, 3, ... so any run of consecutive rows holds every class.

    python tests/data/make_spiral.py           # rewrites scenarios/spiral.csv
    python tests/data/make_spiral.py --check   # exit 1 if the file differs

``tests/unit/test_softmax_lessons.py`` checks that the committed file is
what this makes.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

SEED = 24
PER_CLASS = 50
CLASSES = 3
TURN = 2 * math.pi
"""Radians an arm winds from its inner end (r = 0.2) to its outer end (r = 1), times r."""
NOISE = 0.12
PATH = Path(__file__).resolve().parents[2] / "scenarios" / "spiral.csv"


def spiral_text() -> str:
    """The CSV file's text."""
    rng = np.random.default_rng(SEED)
    noise = rng.normal(0.0, NOISE, size=(PER_CLASS, CLASSES))
    lines = ["x1,x2,t1,t2,t3"]
    for i in range(PER_CLASS):
        r = 0.2 + 0.8 * i / (PER_CLASS - 1)
        for c in range(CLASSES):
            theta = 2 * math.pi * c / CLASSES + TURN * r + noise[i, c]
            x1, x2 = r * math.cos(theta), r * math.sin(theta)
            onehot = ",".join("1" if k == c else "0" for k in range(CLASSES))
            lines.append(f"{x1:.3f},{x2:.3f},{onehot}".replace("-0.000", "0.000"))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    args = parser.parse_args()
    text = spiral_text()
    if args.check:
        same = PATH.read_text(encoding="utf-8") == text
        print("scenarios/spiral.csv is up to date" if same else "scenarios/spiral.csv differs from what this makes")
        return 0 if same else 1
    PATH.write_text(text, encoding="utf-8")
    print(f"wrote {PATH.name}: {PER_CLASS * CLASSES} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
