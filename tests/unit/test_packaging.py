"""The wheel carries the engine, the UI files and every built-in scenario; the metadata says what it needs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None, reason="hatchling (the build backend) is not installed"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    commands = [
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(out), "."],
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
    ]
    errors = []
    for command in commands:
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
        built = sorted(out.glob("backprop_tutor-*.whl"))
        if result.returncode == 0 and built:
            return built[-1]
        errors.append(f"{' '.join(command[2:4])}: {result.stderr[-2000:]}")
    pytest.fail("could not build a wheel:\n" + "\n".join(errors))


def test_wheel_contains_every_scenario(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    scenarios = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    assert "shopping.yaml" in scenarios
    for name in scenarios:
        assert f"tutor/scenarios/{name}" in names, name


def test_wheel_contains_every_module(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "tutor"
    build_hook = package / "locale" / "build_hook.py"  # runs when the wheel is built, not in it
    for path in package.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".tcss", ".json"):
            assert (path.relative_to(ROOT).as_posix() in names) == (path != build_hook), path
    assert any(n.endswith("entry_points.txt") for n in names)


def test_wheel_carries_every_catalogue_compiled(wheel, tmp_path):
    """Each ``tutor/locale/LANG/LC_MESSAGES/tutor.po`` is in the wheel as the ``tutor.mo`` gettext reads, and the
    wheel alone speaks the language: ``tutor --lang ja trace shopping`` is Japanese."""
    import gettext
    import io

    from tutor.i18n import po

    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    sources = sorted((ROOT / "tutor" / "locale").glob("*/LC_MESSAGES/tutor.po"))
    assert sources
    for source in sources:
        compiled = source.with_suffix(".mo").relative_to(ROOT).as_posix()
        assert compiled in names and source.relative_to(ROOT).as_posix() not in names
        shipped = gettext.GNUTranslations(io.BytesIO(archive.read(compiled)))
        assert shipped.gettext("Next") != "Next"
        assert archive.read(compiled) == po.compile_file(str(source))
    assert not [n for n in names if n.endswith((".po", ".pot"))]
    site = tmp_path / "site"
    archive.extractall(site)
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "--lang", "ja", "trace", "shopping"], cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "TUTOR_CONFIG_DIR": str(tmp_path)},
        capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("りんごの買い物 (英語の名前)  (shopping)") and "順伝播 (左から右へ)" in result.stdout


def test_installed_wheel_finds_builtin_scenarios(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import tutor.scenario as s\n"
        "assert s.__file__.startswith(sys.argv[1]), s.__file__\n"
        "print(' '.join(s.builtin_names()))\n"
        "print(s.resolve('shopping').path)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code, str(site)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    listed, shopping = result.stdout.splitlines()
    assert sorted(listed.split()) == sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
    assert shopping.startswith(str(site))


def test_wheel_carries_the_license_and_the_free_name(wheel):
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in names)
    metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "\nName: backprop-tutor\n" in metadata
    assert "tutor = tutor.cli:main" in archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()


def test_sdist_carries_what_its_own_tests_read(tmp_path):
    import tarfile

    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (sdist,) = tmp_path.glob("backprop_tutor-*.tar.gz")
    names = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    needed = {".ci/run", "LICENSE", "README.md", "pyproject.toml", *re.findall(r"\((screenshots/[^)]+\.svg)\)", readme)}
    assert needed <= names, needed - names
    assert {p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("test_*.py")} <= names


def test_built_wheel_installs_into_a_fresh_venv_and_runs_from_anywhere(wheel, tmp_path):
    """The wheel in a new virtual environment: the `tutor` command works from an unrelated folder.

    The new environment has no pip and no network: the wheel goes in with this
    environment's pip (``--python`` points it at the new one, ``--no-deps``), and the
    dependencies come from this environment's site-packages through a path file
    (a plain path line: the editable install's own path files there are not read).
    """
    import os
    import sysconfig
    import venv

    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(fresh)
    python = fresh / "bin" / "python"
    site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "a class folder"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{fresh / 'bin'}{os.pathsep}/usr/bin:/bin"

    def tutor(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            ["tutor", *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return result

    assert tutor("--version").stdout.strip().startswith("tutor ")
    assert "shopping" in tutor("list").stdout
    tutor("export", "shopping", "-o", "x.svg")
    assert (elsewhere / "x.svg").read_text(encoding="utf-8").lstrip().startswith("<svg")
    # Every other command, as a teacher would use it there.
    assert json.loads(tutor("trace", "shopping", "--json").stdout)["output_value"] == pytest.approx(220)
    tutor("export", "two_paths", "-o", "sheet.md")
    tutor("new", "lesson")
    assert "lesson.yaml: ok" in tutor("check", "lesson.yaml").stdout
    assert '"losses"' in tutor("train", "tiny_net", "--steps", "2", "--json").stdout
    assert '"$id"' in tutor("schema").stdout
    app = subprocess.run(["tutor", "shopping"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60,
                         stdin=subprocess.DEVNULL)
    assert app.returncode == 2 and "needs a terminal" in app.stderr  # the app itself: see the pilot tests
    _serves_its_page(["tutor", "serve", "shopping"], elsewhere, env)
    where = subprocess.run(
        [str(python), "-c", "import tutor; print(tutor.__file__)"], cwd=elsewhere, env=env,
        capture_output=True, text=True, check=True,
    ).stdout
    assert where.startswith(str(site)), where  # the installed copy, not the source tree


def _serves_its_page(argv: list[str], cwd: Path, env: dict[str, str]) -> None:
    """``tutor serve`` on a free local port answers with its page, then stops on Ctrl+C."""
    import os
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([*argv, "--port", str(port)], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "tutor serve exited"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:  # noqa: S310
                    assert page.status == 200 and b"<html" in page.read().lower()
                    return
            except OSError:
                assert time.monotonic() < deadline, "tutor serve did not answer"
                time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)


def test_every_runtime_dependency_declares_the_minimum_ci_tests():
    """.ci/run pins each dependency at its ``>=`` bound for the smoke suite; a patched package has an upper bound."""
    import re
    import tomllib

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {}
    for requirement in dependencies:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][^,;\s]*)(,<[0-9.]+)?", requirement.replace(" ", ""))
        assert found, f"{requirement!r}: write name>=LOWEST (and ,<NEXT_MAJOR where its private names are patched)"
        names[found[1].lower()] = found[3]
    assert names["textual"] and names["textual-serve"]  # tutor/ui patches their private names
    assert {"textual", "textual-serve", "rich", "numpy", "pyyaml", "platformdirs", "threadpoolctl"} == set(names)


def test_wheel_marks_the_package_typed_and_describes_it_for_an_index(wheel):
    import re

    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    assert "tutor/py.typed" in names  # the documented Python API carries its annotations
    metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    head, _, description = metadata.partition("\n\n")
    assert "Description-Content-Type: text/markdown" in head
    keywords = next(line for line in head.splitlines() if line.startswith("Keywords: "))
    assert "backpropagation" in keywords and "automatic differentiation" in keywords
    for field in ("Author: the tutor authors", "Classifier: Typing :: Typed",
                  "Classifier: Intended Audience :: Education"):
        assert field in head, field
    assert "example.invalid" not in metadata
    # An index page has no files beside it: every link and picture must be absolute (or absent).
    links = re.findall(r"!?\[[^\]]*\]\(([^)]+)\)", description)
    assert all(link.startswith("https://") for link in links), links
    assert "pipx install ." in description and "backprop-tutor" in description


def test_the_index_description_names_only_real_commands():
    from tutor.cli.commands import COMMANDS

    text = (ROOT / "README.index.md").read_text(encoding="utf-8")
    import re

    shell = "\n".join(re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL))
    used = set(re.findall(r"^tutor (\w+)", shell, flags=re.MULTILINE))
    scenarios = {p.stem for p in (ROOT / "scenarios").glob("*.yaml")}
    assert used and used <= set(COMMANDS) | scenarios, used - set(COMMANDS) - scenarios
