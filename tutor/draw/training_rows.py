"""The training panel drawn as text: the loss curve beside what the net learned.

Pure: a ``TrainingSession`` in, rows of ``(text, style name)`` runs out. The
loss curve is the block-character plot of ``tutor.draw.plot``, under the
accuracy for a classifier; the picture is the decision map (two inputs, one
output), the class map with its legend (two inputs, an output per class) or
the fitted curve (one input) of ``tutor.draw.learned``.
"""

from __future__ import annotations

from rich.cells import cell_len

from tutor.draw.learned import Row, class_map, decision_map, fitted_curve, legend
from tutor.draw.plot import plot
from tutor.i18n import _
from tutor.teach.training import TrainingSession

GAP = 2
AXIS_START = "step 0"
"""How ``tutor.draw.plot`` labels the first point under its axis."""


def _width(row: Row) -> int:
    return sum(cell_len(text) for text, _style in row)


def _pad(row: Row, width: int) -> Row:
    missing = width - _width(row)
    return row + [(" " * missing, "")] if missing > 0 else row


def relabel_axis(line: str, label: str) -> str:
    """The plot's last line (``step 0 ... N`` under the axis) with ``label`` in place of ``step 0``, the line
    as wide as before: the blanks before the last step's number give way to a wider label (a kanji is two cells)."""
    if AXIS_START not in line:
        return line
    before, _start, after = line.partition(AXIS_START)
    blanks = len(after) - len(after.lstrip(" "))
    keep = max(1, blanks - (cell_len(label) - len(AXIS_START)))
    return before + label + " " * keep + after.lstrip(" ")


def training_panel(session: TrainingSession, width: int, height: int) -> list[Row]:
    """``height`` rows at most ``width`` cells wide: the loss curve, and the picture on the right."""
    height = max(4, height)
    picture_rows: list[Row] = []
    picture = None
    prediction = session.prediction
    several = prediction is not None and len(prediction.outputs) > 1
    if prediction is not None and len(prediction.inputs) in (1, 2):
        map_rows = height - 2 if several else height - 1  # a class map keeps a row for its legend
        map_cols = max(8, min(2 * map_rows * 2, width // 2 - 8))
        picture = session.picture(map_cols, map_rows)
    if picture is not None and picture.kind == "map":
        picture_rows = decision_map(picture.grid, picture.points, picture.x_range, picture.y_range,
                                    picture.labels, picture.low, picture.high)
    elif picture is not None and picture.kind == "classes":
        picture_rows = class_map(picture.grid, picture.confidence, picture.points, picture.x_range,
                                 picture.y_range, picture.labels, picture.low)
        key = legend(picture.names)
        indent = max(0, (_width(picture_rows[-1]) - _width(key)) // 2)
        picture_rows.append([(" " * indent, ""), *key])
    elif picture is not None:
        picture_rows = fitted_curve(picture.xs, picture.grid[0], picture.points, height - 1, picture.labels)
    right = max((_width(r) for r in picture_rows), default=0)
    left_width = max(20, width - right - GAP) if picture_rows else width
    losses = session.losses
    accuracy = session.accuracy_words()
    curve = plot(losses, width=left_width, height=max(1, height - (3 if accuracy else 2)))
    curve[-1] = relabel_axis(curve[-1], _("epoch 0"))
    left: list[Row] = [[(accuracy, "accuracy")]] if accuracy else []
    left += [[(line, "curve")] for line in curve]
    out: list[Row] = []
    for i in range(height):
        row = _pad(left[i] if i < len(left) else [], left_width)
        if picture_rows:
            row = row + [(" " * GAP, "")] + (picture_rows[i] if i < len(picture_rows) else [])
        out.append(row)
    return out
