"""A loss curve drawn with block characters, for terminals without graphics."""

from __future__ import annotations

import math

from tutor.engine.numbers import fmt
from tutor.i18n import _

_BLOCKS = " ▁▂▃▄▅▆▇█"


def plot(values: list[float], width: int = 60, height: int = 8) -> list[str]:
    """Lines of a bar chart of ``values`` (resampled to ``width``), y labels on the left."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return [_("(no finite values to plot)")]
    low, high = min(finite), max(finite)
    span = high - low or abs(high) or 1.0
    digits = 4  # as many as it takes for the two labels to differ when the values do (0.12514 vs 0.12506)
    while digits < 12 and high != low and fmt(high, digits) == fmt(low, digits):
        digits += 1
    label_width = max(len(fmt(high, digits)), len(fmt(low, digits)))
    width = max(1, width - label_width - 3)
    if len(values) > width:
        # Keep first and last; sample evenly in between.
        picks = [values[round(i * (len(values) - 1) / (width - 1))] for i in range(width)] if width > 1 else values[-1:]
    else:
        picks = values
    levels = []
    for v in picks:
        if not math.isfinite(v):
            levels.append(height * 8)
        else:
            levels.append(max(1, round((v - low) / span * (height * 8 - 1)) + 1) if span else 1)
    lines = []
    for row in range(height - 1, -1, -1):
        chars = []
        for level in levels:
            fill = level - row * 8
            chars.append(_BLOCKS[max(0, min(8, fill))])
        if row == height - 1:
            label = fmt(high, digits)
        elif row == 0:
            label = fmt(low, digits)
        else:
            label = ""
        lines.append(f"{label:>{label_width}} ┤{''.join(chars)}")
    lines.append(f"{'':>{label_width}} └{'─' * len(levels)}")
    lines.append(f"{'':>{label_width}}  step 0{' ' * max(1, len(levels) - 6 - len(str(len(values) - 1)))}{len(values) - 1}")
    return lines
