"""Pictures for handouts: the app's own screen at a step, view and mode, as SVG or HTML."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tutor.ui.export import ExportError, Shot, html_page, parse_size, svg

SVG_NS = "{http://www.w3.org/2000/svg}"


def screen_text(document: str) -> str:
    """The SVG's text, row by row as the terminal showed it (parsing also proves the SVG is well formed)."""
    root = ET.fromstring(document)
    assert root.tag == f"{SVG_NS}svg"
    rows: dict[float, list[tuple[float, str]]] = {}
    for run in root.iter(f"{SVG_NS}text"):
        if "x" in run.attrib and "y" in run.attrib:
            text = "".join(run.itertext()).replace("\xa0", " ")
            rows.setdefault(float(run.attrib["y"]), []).append((float(run.attrib["x"]), text))
    return "\n".join("".join(text for _, text in sorted(runs)) for _, runs in sorted(rows.items()))


def test_start_of_shopping_shows_inputs_but_no_price_yet():
    text = screen_text(svg(Shot("shopping")))
    assert "Buying apples" in text
    assert "100" in text and "1.1" in text
    assert "220" not in text  # the price is not computed at step 0
    assert "∂" not in text.replace("∂price", "")  # and no gradient has arrived


def test_end_of_shopping_shows_price_and_gradients():
    text = screen_text(svg(Shot("shopping", step="end")))
    for number in ("220", "∂2.2", "∂110", "∂200"):
        assert number in text, number
    assert "step 4 of 4" in text


def test_a_numbered_step_is_that_step():
    text = screen_text(svg(Shot("shopping", step=2)))
    assert "220" in text and "step 2 of 4" in text
    assert "∂2.2" not in text


def test_size_view_and_mode():
    document = svg(Shot("two_paths", step=1, mode="paths", wrt="b", size=(90, 30)))
    root = ET.fromstring(document)
    text = screen_text(document)
    assert "from b" in text and "2 + 3 = 5" in text
    assert 'viewBox' in root.attrib
    grouped = screen_text(svg(Shot("sigmoid_expanded", view="groups")))
    expanded = screen_text(svg(Shot("sigmoid_expanded", view="expanded")))
    assert grouped != expanded
    assert "groups view" in grouped or "grouped" in grouped or "collapsed" in grouped


def test_check_and_train_modes_draw_their_screens():
    assert "central difference" in screen_text(svg(Shot("two_paths", mode="check")))
    assert "Training" in screen_text(svg(Shot("tiny_net", mode="train")))


@pytest.mark.parametrize(
    "shot, message",
    [
        (Shot("shopping", step=9), "steps 0 to 4"),
        (Shot("shopping", mode="train"), "no params"),
        (Shot("two_paths", mode="forward", wrt="zz"), "'zz'"),
        (Shot("shopping", mode="quiz"), "--mode"),
    ],
)
def test_impossible_shots_say_why(shot, message):
    with pytest.raises(ExportError, match=message):
        svg(shot)


def test_size_parsing():
    assert parse_size("100x32") == (100, 32)
    assert parse_size("80X24") == (80, 24)
    for bad in ("100", "x", "10x10", "100x32x1", "-1x5"):
        with pytest.raises(ExportError):
            parse_size(bad)


def test_html_page_wraps_the_svg():
    page = html_page("<svg xmlns='http://www.w3.org/2000/svg'></svg>", "A <title>")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "A &lt;title&gt;" in page


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "tutor", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_export_command_writes_svg_html_and_worksheets(tmp_path):
    result = _cli("export", "shopping", "-o", "end.svg", "--step", "end", "--size", "120x40", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wrote end.svg" in result.stdout
    text = screen_text((tmp_path / "end.svg").read_text(encoding="utf-8"))
    assert "220" in text and "∂200" in text
    assert _cli("export", "shopping", "-o", "page.html", "--step", "1", cwd=tmp_path).returncode == 0
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "</html>" in page
    assert _cli("export", "two_paths", "-o", "sheet.md", "--blanks", cwd=tmp_path).returncode == 0
    sheet = (tmp_path / "sheet.md").read_text(encoding="utf-8")
    assert sheet.startswith("# Two paths") and "## Answers" in sheet


@pytest.mark.parametrize(
    "args, message",
    [
        (("shopping", "-o", "x.txt"), ".svg, .html or .md"),
        (("shopping", "-o", "x.svg", "--step", "two"), "--step"),
        (("shopping", "-o", "x.svg", "--size", "big"), "--size"),
        (("shopping", "-o", "x.svg", "--blanks"), "--blanks"),
        (("shopping", "-o", "x.md", "--mode", "check"), "--mode"),
        (("shopping", "-o", "no/such/folder/x.md"), "cannot write"),
        (("shoping", "-o", "x.md"), "shopping"),
        (("shopping", "-o", "x.md", "--step", "3"), "--step is for pictures"),
        (("shopping", "-o", "x.md", "--size", "80x24"), "--size is for pictures"),
        (("shopping", "-o", "x.md", "--theme", "nord"), "--theme is for pictures"),
        (("shopping", "-o", "x.md", "--wrt", "tax"), "--wrt is for pictures"),
        (("shopping", "-o", "x.svg", "--wrt", "tax"), "--wrt is for --mode forward or paths"),
        (("tiny_net", "-o", "x.svg", "--mode", "train", "--step", "3"), "the train mode's screen is the same"),
        (("shopping", "-o", "x.svg", "--mode", "check", "--step", "1"), "the check mode's screen is the same"),
        (("shopping", "-o", "x.md", "--row", "2"), "shopping has no data"),
        (("curve", "-o", "x.md", "--row", "99"), "--row must be between 1 and 21"),
    ],
)
def test_export_command_errors_are_one_line(tmp_path, args, message):
    result = _cli("export", *args, cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # the error, and a hint for an unknown scenario


def test_a_picture_of_a_data_row(tmp_path):
    result = _cli("export", "xor", "-o", "row.svg", "--row", "4", "--step", "end", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = screen_text((tmp_path / "row.svg").read_text(encoding="utf-8"))
    assert "Row 4 of 4: x1 = 1, x2 = 1, t = 0" in text
