"""Flagging: saving a demo's inputs and outputs for later review (Gradio's CSVLogger).

``Interface(flagging_mode="manual")`` (Gradio's default) shows a Flag button
(one per ``flagging_options`` entry) under the outputs; ``"auto"`` flags every
submission; ``"never"`` shows nothing. Each flag is one row of
``<flagging_dir>/dataset1.csv`` (default ``.gradio/flagged``): one column per
component (by label), then ``flag``, ``username`` and ``timestamp``. Files
(images, audio, …) are copied next to the CSV, into
``<flagging_dir>/<label>/<random id>/<name>``, and the row holds that
relative path.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import threading
import uuid
from pathlib import Path
from typing import Any

from . import files


class FlaggingCallback:
    """Base of flagging callbacks: ``setup(components, flagging_dir)`` once,
    then ``flag(values, flag_option="", username=None)`` per flag."""

    def setup(self, components: list, flagging_dir: str | Path) -> None:
        raise NotImplementedError

    def flag(self, flag_data: list, flag_option: str = "", username: str | None = None) -> int:
        raise NotImplementedError


class CSVLogger(FlaggingCallback):
    """Rows in a CSV file, media copied next to it (Gradio's ``gr.CSVLogger``).

    ``flag(values)`` takes the components' values as ``fn`` receives them
    (each goes through its component's ``postprocess``, so an image array is
    saved as an image file); files (paths, ``{"path": ...}``) are copied.
    Wire values of a ``preprocess=False`` listener work for everything but a
    session's files, which raise ``ValueError`` (fn runs outside the session's
    file store). Returns the number of
    rows in the file. ``dataset_file_name``: the CSV's name (default
    "dataset1.csv"). Thread-safe: concurrent flags append whole rows.
    """

    def __init__(self, simplify_file_data: bool = True, verbose: bool = True,
                 dataset_file_name: str | None = None):
        self.simplify_file_data = simplify_file_data
        self.verbose = verbose
        self.dataset_file_name = dataset_file_name or "dataset1.csv"
        self._lock = threading.Lock()
        self.components: list = []
        self.flagging_dir = Path(".gradio/flagged")

    def setup(self, components: list, flagging_dir: str | Path) -> None:
        self.components = list(components)
        self.flagging_dir = Path(flagging_dir)

    @property
    def dataset_file(self) -> Path:
        return self.flagging_dir / self.dataset_file_name

    def headers(self) -> list[str]:
        names = []
        for i, c in enumerate(self.components):
            name = getattr(c, "label", None) or f"{type(c).__name__.lower()} {i}"
            while name in names:
                name = f"{name} {i}"
            names.append(name)
        return [*names, "flag", "username", "timestamp"]

    def flag(self, flag_data: list, flag_option: str = "", username: str | None = None) -> int:
        if len(flag_data) != len(self.components):
            raise ValueError(f"CSVLogger.flag: {len(flag_data)} values for {len(self.components)} components")
        headers = self.headers()
        with self._lock:
            self.flagging_dir.mkdir(parents=True, exist_ok=True)
            row = [self._cell(self._wire(v, c), headers[i])
                   for i, (v, c) in enumerate(zip(flag_data, self.components))]
            row += [flag_option or "", username or "", dt.datetime.now().isoformat(sep=" ")]
            new = not self.dataset_file.exists()
            with self.dataset_file.open("a", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                if new:
                    writer.writerow(headers)
                writer.writerow(row)
            with self.dataset_file.open(newline="", encoding="utf-8") as f:
                count = sum(1 for _ in csv.reader(f)) - 1
        if self.verbose:
            print(f"Saved flagged data to {self.dataset_file} ({count} rows)")
        return count

    @staticmethod
    def _wire(value: Any, component: Any) -> Any:
        """A value as ``fn`` has it → as the page has it (files become FileData of
        the app's store); wire values (FileData of the session) stay as they are."""
        if value is None or files.is_file_data(value) or not hasattr(component, "postprocess"):
            return value
        if isinstance(value, (dict, list)) and not hasattr(component, "_kind"):
            return value
        with files.using(files.app_store()):
            try:
                return component.postprocess(value)
            except Exception:  # noqa: BLE001 - already a wire value of another shape: keep it
                return value

    def _cell(self, value: Any, header: str) -> str:
        path = _file_path(value)
        if path is not None:
            return self._copy(path, header)
        if isinstance(value, dict) and isinstance(value.get("file"), dict):  # a chat message file
            return self._cell(value["file"], header)
        if value is None:
            return ""
        if isinstance(value, (str, int, float, bool)):
            return str(value)
        return json.dumps(_files_copied(value, lambda p: self._copy(p, header)), default=str)

    def _copy(self, source: Path, header: str) -> str:
        folder = self.flagging_dir / _safe(header) / uuid.uuid4().hex[:12]
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / source.name
        shutil.copyfile(source, dest)
        return str(dest.relative_to(self.flagging_dir))


def _file_path(value: Any) -> Path | None:
    """The file behind a value: a session FileData, ``{"path": ...}`` or a Path."""
    if files.is_file_data(value):
        found = files.lookup(value["id"])
        if found is None:
            raise ValueError(f"CSVLogger: no file {value['id']!r} here; flag the values fn "
                             "receives (a listener with preprocess=True)")
        return Path(found[1].path)
    if isinstance(value, dict) and isinstance(value.get("path"), str) and Path(value["path"]).is_file():
        return Path(value["path"])
    if isinstance(value, Path) and value.is_file():
        return value
    return None


def _files_copied(value: Any, copy) -> Any:
    """``value`` (lists, dicts) with every file in it replaced by its copy's path."""
    path = _file_path(value)
    if path is not None:
        return copy(path)
    if isinstance(value, dict):
        return {k: _files_copied(v, copy) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_files_copied(v, copy) for v in value]
    return value


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in name).strip() or "component"
