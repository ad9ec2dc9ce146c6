"""Hatch build hook: compile every catalogue (``LANG/LC_MESSAGES/tutor.po``) into the ``tutor.mo`` gettext reads.

A wheel carries the compiled catalogues, made in a folder of their own
(the source tree may be read-only); an editable install gets them beside the
``.po`` files, where the tutor reads them from the checkout (they are not
committed: ``.gitignore``). The hook itself is left out of the wheel. The
compiler is ``tutor/i18n/po.py``, loaded on its own: building needs neither
Babel nor an import of the tutor.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _compiler(root: Path):  # noqa: ANN202 - the tutor.i18n.po module, loaded from its file
    spec = importlib.util.spec_from_file_location("_tutor_po", root / "tutor" / "i18n" / "po.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CatalogueHook(BuildHookInterface):
    """Compile the catalogues for the wheel (into a folder of its own) or an editable install (in place)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        po = _compiler(root)
        locale = root / "tutor" / "locale"
        self._made = None if version == "editable" else Path(tempfile.mkdtemp(prefix="tutor-catalogues-"))
        for source in sorted(locale.glob("*/LC_MESSAGES/tutor.po")):
            compiled = po.compile_file(str(source))
            relative = source.relative_to(root).with_suffix(".mo")
            if self._made is None:
                source.with_suffix(".mo").write_bytes(compiled)
                continue
            target = self._made / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(compiled)
            build_data["force_include"][str(target)] = relative.as_posix()

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if getattr(self, "_made", None) is not None:
            shutil.rmtree(self._made, ignore_errors=True)
