"""Where the extension learns which demos the kernels serve.

Each kernel that shows a demo writes ``nbdemo-kernel-<kernel_id>.json`` (mode
0600) into the Jupyter runtime directory (the folder of its connection file);
see :mod:`nbdemo.notebook.door`. It holds the kernel's process id, a secret
with which the kernel calls the extension, and one entry per demo: title,
notebook path, start time (Unix seconds) and the Unix socket it is served on.

The extension only believes the registrations of kernels its own kernel
manager runs: another Jupyter server sharing the runtime directory, or a stale
file, opens nothing here. Files are re-read only when they change.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

#: The registration file of a kernel, in the runtime directory.
KERNEL_FILE = "nbdemo-kernel-{kernel_id}.json"
#: The file an nbdemo-enabled Jupyter server writes so its kernels can find it.
SERVER_FILE = "nbdemo-server-{pid}.json"


@dataclass(frozen=True)
class Demo:
    """One demo served by a kernel."""

    demo_id: str
    kernel_id: str
    title: str
    notebook: str | None
    started: float
    socket: str
    #: sent upstream with the owner's requests (X-Nbdemo-Owner): no demo login for them
    owner: str = ""


class Registry:
    """The demos of this server's kernels, read from the runtime directory.

    ``kernel_ids()`` returns the ids of the kernels this server runs (the
    kernel manager's list). Notebook paths under ``root_dir`` are shown
    relative to it, as Jupyter shows them.
    """

    def __init__(self, runtime_dir: str | os.PathLike, kernel_ids,
                 root_dir: str | os.PathLike | None = None):
        self.runtime_dir = Path(runtime_dir)
        self._kernel_ids = kernel_ids
        self.root_dir = Path(root_dir).resolve() if root_dir else None
        #: path → (mtime_ns, size, parsed registration)
        self._cache: dict[Path, tuple[int, int, dict]] = {}

    def _read(self, kernel_id: str) -> dict | None:
        path = self.runtime_dir / KERNEL_FILE.format(kernel_id=kernel_id)
        try:
            st = path.stat()
        except FileNotFoundError:
            self._cache.pop(path, None)
            return None
        cached = self._cache.get(path)
        if cached is not None and cached[:2] == (st.st_mtime_ns, st.st_size):
            data = cached[2]
        else:
            try:
                data = json.loads(path.read_text())
            except (OSError, ValueError):  # being replaced, or not ours: no demos
                return None
            if not isinstance(data, dict) or data.get("kernel_id") != kernel_id:
                return None
            self._cache[path] = (st.st_mtime_ns, st.st_size, data)
        # a kernel that died (restarted, killed) without unregistering serves nothing
        return data if _alive(data.get("pid")) else None

    def demos(self) -> list[Demo]:
        """Every demo of every kernel of this server, oldest first."""
        found = []
        for kernel_id in list(self._kernel_ids()):
            data = self._read(kernel_id)
            for demo_id, d in (data or {}).get("demos", {}).items():
                found.append(self._demo(demo_id, kernel_id, d))
        return sorted(found, key=lambda d: d.started)

    def find(self, demo_id: str) -> Demo | None:
        """The running demo ``demo_id``, or None."""
        for kernel_id in list(self._kernel_ids()):
            data = self._read(kernel_id)
            d = (data or {}).get("demos", {}).get(demo_id)
            if d is not None:
                return self._demo(demo_id, kernel_id, d)
        return None

    def check_kernel(self, kernel_id: str, secret: str) -> dict | None:
        """The registration of ``kernel_id`` if ``secret`` is that kernel's
        (compared in constant time) and this server runs it; else None."""
        if kernel_id not in set(self._kernel_ids()):
            return None
        data = self._read(kernel_id)
        if data is None or not isinstance(data.get("secret"), str):
            return None
        if not hmac.compare_digest(data["secret"].encode(), secret.encode("utf-8", "replace")):
            return None
        return data


    def _demo(self, demo_id: str, kernel_id: str, d: dict) -> Demo:
        notebook = d.get("notebook") or None
        if isinstance(notebook, str) and self.root_dir is not None and os.path.isabs(notebook):
            try:
                notebook = Path(notebook).resolve().relative_to(self.root_dir).as_posix()
            except ValueError:  # outside the root: shown as it is
                pass
        return Demo(demo_id, kernel_id, str(d.get("title") or "nbdemo"),
                    notebook if isinstance(notebook, str) else None,
                    float(d.get("started") or 0), str(d.get("socket") or ""),
                    str(d.get("owner") or ""))


def _alive(pid) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True
