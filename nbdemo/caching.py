"""Cached examples: what ``fn`` returned for each example row, kept on disk.

``Examples(..., cache_examples=True)`` (or ``"lazy"``) stores each row's
outputs under ``.gradio/cached_examples/<key>/`` in the working directory
(Gradio's folder; ``GRADIO_EXAMPLES_CACHE`` moves it), so clicking an example
shows its outputs without calling ``fn``, and a second start of the app reads
the cache instead of calling ``fn`` again. ``<key>`` is a hash of the
function's module and name, the examples and the output component types: a
change to any of them starts a new cache.

What is stored is what ``fn`` returned, in a form the outputs accept again:
JSON values as they are; ``pathlib.Path`` and file paths of the outputs'
files copied into the cache folder; PIL images and image arrays as PNG files;
``(sample_rate, array)`` audio as WAV; pandas DataFrames as JSON. Anything
else raises ``TypeError`` naming its type (nothing is pickled).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import wave
from pathlib import Path
from typing import Any

from . import files

_FILE = "__nbdemo_file__"
_FRAME = "__nbdemo_dataframe__"
_TUPLE = "__nbdemo_tuple__"


def cache_root() -> Path:
    return Path(os.environ.get("GRADIO_EXAMPLES_CACHE", ".gradio/cached_examples"))


def cache_key(fn: Any, examples: list, outputs: list) -> str:
    what = json.dumps([getattr(fn, "__module__", ""), getattr(fn, "__qualname__", repr(fn)),
                       examples, [type(o).__name__ for o in outputs]], default=str)
    return hashlib.sha256(what.encode()).hexdigest()[:16]


def cache_mode_of(cache_examples: Any, cache_mode: Any) -> str | None:
    """None (no caching), "eager" or "lazy", from Gradio's two arguments."""
    if cache_mode not in (None, "eager", "lazy"):
        raise ValueError(f"cache_mode must be 'eager' or 'lazy', got {cache_mode!r}")
    if cache_examples == "lazy":
        return "lazy"
    if cache_examples in (None, False):
        return None
    if cache_examples is True:
        return cache_mode or "eager"
    raise ValueError(f"cache_examples must be True, False or 'lazy', got {cache_examples!r}")


class ExampleCache:
    """One folder of cached outputs, one ``<row>.json`` per example row."""

    def __init__(self, fn: Any, examples: list, outputs: list, inputs: list | None = None):
        self.fn = fn
        self.examples = examples
        self.inputs = list(inputs or [])
        self.outputs = outputs
        # absolute: a later chdir (of the app, or of a test) must not move the cache
        self.folder = (cache_root() / cache_key(fn, examples, outputs)).resolve()
        self._lock = threading.Lock()
        self._allowed = False

    def _allow(self) -> None:
        """The folder is a dot folder under the working directory, which the file
        policy refuses; its files are served because nbdemo wrote them."""
        if not self._allowed:
            files.set_static_paths(self.folder)
            self._allowed = True

    def _entry(self, i: int) -> Path:
        return self.folder / f"{i}.json"

    def get(self, i: int) -> tuple[bool, list]:
        """(found, outputs) for row ``i``."""
        path = self._entry(i)
        if not path.exists():
            return False, []
        stored = json.loads(path.read_text())
        self._allow()
        return True, [_decode(v, self.folder) for v in stored]

    def compute(self, i: int) -> list:
        """Call ``fn`` on row ``i`` (each value through its input's postprocess and
        preprocess, as a submitted example; a generator: its last value), store
        and return the outputs."""
        row = self.examples[i]
        if self.inputs:  # what fn receives when the user submits the example: its input's types
            row = [c.preprocess(c.postprocess(v)) if v is not None else None
                   for c, v in zip(self.inputs, row)]
        result = self.fn(*row)
        if hasattr(result, "__next__"):
            steps = list(result)  # a generator's outputs: the cache keeps its last one
            result = steps[-1] if steps else None
        values = list(result) if len(self.outputs) > 1 else [result]
        if len(values) != len(self.outputs):
            raise ValueError(f"cache_examples: fn returned {len(values)} values for "
                             f"{len(self.outputs)} outputs")
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._allow()
            stored = [_encode(v, o, self.folder, f"{i}-{k}") for k, (v, o) in enumerate(zip(values, self.outputs))]
            tmp = self._entry(i).with_suffix(".tmp")
            tmp.write_text(json.dumps(stored))
            tmp.replace(self._entry(i))
        return [_decode(v, self.folder) for v in stored]

    def outputs_for(self, i: int) -> list:
        found, values = self.get(i)
        return values if found else self.compute(i)

    def fill(self) -> None:
        """Compute every row not cached yet (``cache_examples=True``)."""
        for i in range(len(self.examples)):
            if not self._entry(i).exists():
                self.compute(i)


def _encode(value: Any, output: Any, folder: Path, stem: str) -> Any:
    kind = type(value)
    mod = kind.__module__ or ""
    if isinstance(value, Path) or (isinstance(value, str) and _is_file_output(output) and Path(value).is_file()):
        src = Path(value)
        dest = folder / f"{stem}{src.suffix}"
        shutil.copyfile(src, dest)
        return {_FILE: dest.name}
    if mod.startswith("PIL."):
        dest = folder / f"{stem}.png"
        value.save(dest)
        return {_FILE: dest.name}
    if mod == "numpy" and kind.__name__ == "ndarray":
        if _is_file_output(output) and type(output).__name__ == "Image":
            from PIL import Image as PILImage

            dest = folder / f"{stem}.png"
            PILImage.fromarray(value).save(dest)
            return {_FILE: dest.name}
        return value.tolist()
    if isinstance(value, tuple) and len(value) == 2 and type(output).__name__ == "Audio" \
            and isinstance(value[0], int):
        dest = folder / f"{stem}.wav"
        _write_wav(dest, value[0], value[1])
        return {_FILE: dest.name}
    if mod.startswith("pandas") and kind.__name__ == "DataFrame":
        return {_FRAME: json.loads(value.to_json(orient="split", date_format="iso"))}
    if isinstance(value, tuple):
        return {_TUPLE: [_encode(v, output, folder, f"{stem}-{k}") for k, v in enumerate(value)]}
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        raise TypeError(f"cache_examples cannot store a {mod}.{kind.__name__} returned for "
                        f"{type(output).__name__}; return JSON values, paths, PIL images, "
                        "arrays or DataFrames") from None
    return value


def _decode(value: Any, folder: Path) -> Any:
    if isinstance(value, dict):
        if _FILE in value:
            return str(folder.resolve() / value[_FILE])
        if _FRAME in value:
            import pandas as pd

            split = value[_FRAME]
            return pd.DataFrame(split["data"], columns=split["columns"])
        if _TUPLE in value:
            return tuple(_decode(v, folder) for v in value[_TUPLE])
    return value


def _is_file_output(output: Any) -> bool:
    return type(output).__name__ in ("Image", "Audio", "Video", "File", "Gallery", "Model3D")


def _write_wav(path: Path, rate: int, data: Any) -> None:
    import numpy as np

    arr = np.asarray(data)
    if arr.dtype.kind == "f":
        arr = (np.clip(arr, -1, 1) * 32767).astype("<i2")
    else:
        arr = arr.astype("<i2")
    channels = 1 if arr.ndim == 1 else arr.shape[1]
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(arr.tobytes())
