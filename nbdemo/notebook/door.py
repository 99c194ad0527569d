"""The Jupyter door, kernel side: a demo shown in a kernel is also served as a page.

When a demo is displayed in a kernel that a Jupyter server with nbdemo's
extension started, this module serves it from the kernel on a private
endpoint, a Unix socket with mode 0600 in the Jupyter runtime directory, on
nbdemo's kernel loop (:mod:`.loop`): the same loop and engine as the inline
demo, so ``concurrency_limit`` and the queue count the notebook's runs and the
page visitors' together. It registers the demo in
``nbdemo-kernel-<kernel_id>.json`` in that directory (title, notebook path,
start time, socket; mode 0600), where the extension finds it
(:mod:`nbdemo.jupyter.registry`), and unregisters it at ``demo.close()`` and
when the kernel exits.

Share links: the kernel asks the extension for one over HTTP
(``POST <server>nbdemo/api/kernel/shares``), proving who it is with a random
secret it keeps in its registration; the extension signs the token with a
secret only the server holds (:mod:`nbdemo.jupyter.shares`).

The kernel finds its server through ``nbdemo-server-<pid>.json``, written by
the extension into the same runtime directory (the kernel's parent process is
the server). With no such server (plain IPython, VS Code, Colab) nothing is
served, and ``launch(share=True)`` explains that in one warning.
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import warnings
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .loop import get_loop

__all__ = ["serve", "launch", "close", "revoke_share", "door_of"]

KERNEL_FILE = "nbdemo-kernel-{kernel_id}.json"  # as nbdemo.jupyter.registry reads it
SERVER_FILE = "nbdemo-server-{pid}.json"
#: sun_path holds 108 bytes on Linux (104 on macOS); longer socket paths go to a private temp dir
MAX_SOCKET_PATH = 100


@dataclass
class Served:
    """One demo served by this kernel."""

    demo_id: str
    server: Any  # nbdemo.server.Server
    socket: str
    started: float

    @property
    def page(self) -> str:
        """The page's path below the Jupyter server's base_url."""
        return f"nbdemo/{self.demo_id}/"


class Kernel:
    """This kernel's registration and its way to the Jupyter server."""

    def __init__(self, kernel_id: str, runtime: Path, server: dict):
        self.kernel_id = kernel_id
        self.runtime = runtime
        self.server = server
        self.secret = secrets.token_urlsafe(32)
        self.path = runtime / KERNEL_FILE.format(kernel_id=kernel_id)
        self.demos: dict[str, dict] = {}
        self.lock = threading.Lock()
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._clear_previous()
        atexit.register(self.unregister_all)

    def _clear_previous(self) -> None:
        """A restarted kernel keeps its id: the process before it may have died
        without unregistering (killed). Its registration and sockets go."""
        try:
            old = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return
        if not isinstance(old, dict) or _alive(old.get("pid")):
            return
        for entry in (old.get("demos") or {}).values():
            if isinstance(entry, dict) and isinstance(entry.get("socket"), str):
                _unlink(entry["socket"])
        _unlink(str(self.path))

    def write(self) -> None:
        data = {"version": 1, "kernel_id": self.kernel_id, "pid": os.getpid(),
                "secret": self.secret, "demos": self.demos}
        fd, tmp = tempfile.mkstemp(dir=self.runtime, prefix=".nbdemo-", suffix=".json")  # 0600
        with os.fdopen(fd, "w") as f:
            json.dump(data, f)
        os.replace(tmp, self.path)

    def register(self, demo_id: str, entry: dict) -> None:
        with self.lock:
            self.demos[demo_id] = entry
            self.write()

    def unregister(self, demo_id: str) -> None:
        with self.lock:
            if self.demos.pop(demo_id, None) is not None:
                self.write()

    def unregister_all(self) -> None:
        with self.lock:
            for entry in self.demos.values():
                _unlink(entry.get("socket"))
            self.demos.clear()
            _unlink(str(self.path))

    def call(self, method: str, body: dict | None = None, query: str = "") -> dict:
        """Call the extension's kernel endpoint; raises ``OSError`` (``urllib.error.URLError``
        or ``HTTPError``) when the server cannot be reached or refuses."""
        req = urllib.request.Request(
            f"{self.server['url']}nbdemo/api/kernel/shares{query}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"nbdemo-kernel {self.kernel_id} {self.secret}",
                     "Content-Type": "application/json"})
        with self._opener.open(req, timeout=10) as r:
            return json.loads(r.read())


_kernel: Kernel | None = None
_no_door: str | None = None  # why there is no door in this process, once looked up
_served: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _find_kernel() -> Kernel | None:
    """This kernel's :class:`Kernel`, or None (and ``_no_door`` says why)."""
    global _kernel, _no_door
    if _kernel is not None or _no_door is not None:
        return _kernel
    try:
        import ipykernel

        connection = Path(ipykernel.get_connection_file())
    except Exception as e:  # not an IPython kernel (plain IPython, a script)
        _no_door = f"this is not a Jupyter kernel ({type(e).__name__})"
        return None
    name = connection.stem
    if not name.startswith("kernel-"):
        _no_door = f"the kernel was not started by a Jupyter server ({connection.name})"
        return None
    runtime = connection.parent
    server = _find_server(runtime)
    if server is None:
        _no_door = "no Jupyter server with nbdemo's extension started this kernel"
        return None
    _kernel = Kernel(name[len("kernel-"):], runtime, server)
    return _kernel


def _find_server(runtime: Path) -> dict | None:
    """The nbdemo-enabled Jupyter server that started this kernel (its parent
    process: jupyter-server launches kernels as its children), or None. Another
    server writing to the same runtime directory is never taken for it: that
    server would not serve this kernel's demos anyway."""
    path = runtime / SERVER_FILE.format(pid=os.getppid())
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and _alive(data.get("pid")) else None


def door_of(blocks) -> Served | None:
    """How ``blocks`` is served by this kernel, if it is."""
    return _served.get(blocks)


def serve(blocks) -> Served | None:
    """Serve ``blocks`` on a private socket and register it (once; later calls
    return the same :class:`Served`). None when this kernel has no door."""
    kernel = _find_kernel()
    if kernel is None:
        return None
    with _lock:
        served = _served.get(blocks)
        if served is not None:
            return served
        from ..server import Server

        demo_id = secrets.token_hex(8)
        # the extension sends this with the owner's requests (Jupyter's login done):
        # launch(auth=) then asks only share-link visitors to log in
        owner = secrets.token_urlsafe(24)
        path = str(kernel.runtime / f"nbdemo-{demo_id}.sock")
        if len(path) > MAX_SOCKET_PATH:
            path = os.path.join(tempfile.mkdtemp(prefix="nbdemo-"), "demo.sock")  # 0700 dir
        server = Server({"/": blocks}, loop=get_loop(), unix_socket=path, relative=True,
                        quiet=True, auth=getattr(blocks, "auth", None),
                        auth_message=getattr(blocks, "auth_message", None),
                        owner_secret=owner).start()
        served = Served(demo_id, server, path, time.time())
        _served[blocks] = served
    kernel.register(demo_id, {"title": blocks.title, "notebook": _notebook_path(),
                              "started": served.started, "socket": path, "owner": owner})
    return served


def _notebook_path() -> str | None:
    # jupyter-server tells a kernel its session's path (the notebook) in JPY_SESSION_NAME
    return os.environ.get("JPY_SESSION_NAME") or None


def launch(blocks, *, share: bool | None, share_expires: float | None) -> tuple:
    """``Blocks.launch()`` in a kernel: show the demo inline and, when this
    kernel has a door, serve it as a page; ``share=True`` also makes a share
    link, prints it and sets ``blocks.share_url``.

    Returns Gradio's ``(server, local_url, share_url)``: the in-kernel server,
    the page's URL through the Jupyter server (Jupyter login required) and
    the share link (None without ``share``, or when no link could be made:
    then one ``UserWarning`` says why). ``share_expires``: the link's
    lifetime in seconds (default 72 hours, at most 30 days); ``ValueError``
    if out of range.
    """
    from IPython.display import display

    if share_expires is not None and not share:
        raise TypeError("share_expires= is the share link's lifetime: it needs share=True")
    display(blocks)  # renders inline; view_for() serves it (see nbdemo.notebook.view_for)
    served = serve(blocks)
    kernel = _kernel
    local_url = kernel.server["public_url"] + served.page if served and kernel else None
    blocks.local_url = local_url
    if not share:
        return (served.server if served else None, local_url, None)
    if served is None or kernel is None:
        colab = _colab_page(blocks) if "google.colab" in sys.modules else None
        warnings.warn(_no_share_message(colab), UserWarning, stacklevel=3)
        if colab is not None:
            blocks.local_url = colab[1]
            return (colab[0], colab[1], None)
        return (None, None, None)
    try:
        link = kernel.call("POST", {"demo_id": served.demo_id, "expires": share_expires})
    except urllib.error.HTTPError as e:
        if e.code == 400:
            raise ValueError(f"share_expires: the Jupyter server refused it ({e.reason})") from None
        warnings.warn(f"share=True: the Jupyter server refused a share link ({e}); "
                      "the demo is shown inline only", UserWarning, stacklevel=3)
        return (served.server, local_url, None)
    except OSError as e:
        warnings.warn(f"share=True: could not reach the Jupyter server at "
                      f"{kernel.server['url']} to make a share link ({e}); the demo is shown "
                      "inline only", UserWarning, stacklevel=3)
        return (served.server, local_url, None)
    blocks.share_url = link["url"]
    hours = (link["expires"] - time.time()) / 3600
    print(f"* Share link (no Jupyter login needed; expires in {hours:.3g} h, "
          f"demo.revoke_share() ends it):\n  {link['url']}", flush=True)
    return (served.server, local_url, link["url"])


def _no_share_message(colab: tuple | None = None) -> str:
    why = _no_door or "this kernel has no Jupyter door"
    if colab is not None:
        extra = (f"On Colab the demo is also served as a page through Colab's kernel port proxy, "
                 f"{colab[1]} : it opens for you (your Google account), not for others. ")
    elif "google.colab" in sys.modules:
        extra = "Colab's kernel port proxy was not available here. "
    else:
        extra = ""
    return ("share=True made no share link: " + why + ". nbdemo makes share links through the "
            "Jupyter server that runs the kernel (JupyterLab, Notebook 7, a JupyterHub server) "
            "with nbdemo installed in that server's environment (`jupyter server extension "
            "list` shows nbdemo); VS Code, Colab and plain IPython have no such server. The "
            "demo is shown inline. " + extra + "To serve it to others yourself, run it as a "
            "script with demo.launch(server_name='0.0.0.0').")


#: demos served for Colab's kernel port proxy (Colab has no Jupyter door)
_colab: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _colab_page(blocks) -> tuple | None:
    """(server, url): ``blocks`` served on a loopback port of the Colab VM, on
    nbdemo's kernel loop, and Colab's proxy URL for that port (it admits the
    notebook's own user only). None when Colab's front-end cannot be asked."""
    with _lock:
        found = _colab.get(blocks)
        if found is None:
            from ..server import Server

            found = (Server({"/": blocks}, host="127.0.0.1", loop=get_loop(), quiet=True).start(),
                     None)
    server = found[0]
    try:
        from google.colab import output  # type: ignore[import-not-found]

        url = found[1] or output.eval_js(
            f"google.colab.kernel.proxyPort({int(server.port)}, {{'cache': false}})")
    except Exception:  # not a Colab front-end (or an old one): no page, the warning says so
        server.stop()
        return None
    _colab[blocks] = (server, url)
    return server, url


def revoke_share(blocks) -> int:
    """End every share link of ``blocks``; returns how many were live.

    Raises ``OSError`` if the Jupyter server cannot be reached.
    """
    served = _served.get(blocks)
    blocks.share_url = None
    if served is None or _kernel is None:
        return 0
    return int(_kernel.call("DELETE", query=f"?demo_id={served.demo_id}").get("revoked", 0))


def close(blocks) -> None:
    """Stop serving ``blocks`` as a page: its share links end, it leaves the
    index, its socket is removed. Nothing happens if it was not served."""
    with _lock:
        served = _served.pop(blocks, None)
        colab = _colab.pop(blocks, None)
    if colab is not None:
        colab[0].stop()
    if served is None or _kernel is None:
        return
    try:
        _kernel.call("DELETE", query=f"?demo_id={served.demo_id}")
    except OSError:
        pass  # unregistered below: the extension refuses its links anyway ("no longer running")
    blocks.share_url = None
    _kernel.unregister(served.demo_id)
    served.server.stop()


def _unlink(path: str | None) -> None:
    if path:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _alive(pid) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
