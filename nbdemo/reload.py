"""Serve a script's or a notebook's demo, and reload it on save (``nbdemo app.py``).

``nbdemo app.py`` (the same as ``nbdemo run app.py --reload``) runs the
script once, serves its demo, and on every save of a Python file in the
watched folders runs it again in the same process and serves the new demo:
the open pages fetch the new layout over their WebSocket and re-render
without a refresh, keeping what the user typed where the component still
exists (see ``js/src/host.js``). Gradio's habits hold:

- the script runs as a module (``__name__`` is its file's stem), so an
  ``if __name__ == "__main__": demo.launch()`` block does not run, and a bare
  ``demo.launch()`` hands the demo to the server instead of starting another;
- ``if nbdemo.NO_RELOAD:`` blocks (loading a model) run only the first time:
  ``nbdemo.NO_RELOAD`` is True then and False on every reload, and the names
  such a block defined stay bound;
- a syntax or runtime error is printed in the terminal and shown on the open
  pages; the last working demo keeps being served, and saving a fixed file
  recovers;
- modules imported from the watched folders are imported afresh on reload.

Watching needs ``watchfiles`` (``pip install "nbdemo[reload]"``); it is
imported only when watching starts. A notebook (``.ipynb``) runs its code
cells in order (not its Markdown; IPython magics and ``!`` shell lines are
skipped) and serves the demo it displayed last.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import protocol

__all__ = ["App", "LoadError", "serve", "watch"]

#: Folders never watched (besides watchfiles' defaults: .git, __pycache__, ...)
IGNORE_DIRS = (".ipynb_checkpoints",)


class LoadError(Exception):
    """Running the app failed; ``text`` is the traceback as the user should see it."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


@dataclass
class Loaded:
    """One run of the app: its demo, and the keyword arguments its ``launch()`` got."""

    blocks: Any
    launch_kwargs: dict[str, Any] = field(default_factory=dict)


#: While an App runs its file: the App (``Blocks.launch`` hands the demo to it).
_running: threading.local = threading.local()


def launching(blocks: Any, kwargs: dict[str, Any]) -> Any:
    """Called by ``Blocks.launch()`` while ``nbdemo run`` runs the app's file:
    records ``blocks`` as the demo shown (the CLI serves it) and returns
    ``(None, None, None)`` at once. Returns ``NotImplemented`` otherwise."""
    app = getattr(_running, "app", None)
    if app is None:
        return NotImplemented
    app._shown = (blocks, kwargs)
    return None, None, None


def _blocks_type():
    from .blocks import Blocks

    return Blocks


def _user_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` without nbdemo's own frames above the user's code."""
    te = traceback.TracebackException.from_exception(exc)
    if isinstance(exc, SyntaxError):  # where in the file; the parser's own frames say nothing
        return "".join(te.format_exception_only())
    frames = [f for f in te.stack if f.filename != __file__]
    te.stack = traceback.StackSummary.from_list(frames)
    return "".join(te.format())


class App:
    """A script (``.py``) or notebook (``.ipynb``) whose demo is served.

    ``demo_name``: the variable holding the demo; ``None`` (the default)
    takes ``demo`` if it is a Blocks, else the demo the file displayed or
    launched last, else the only Blocks it defines. ``argv``: the script's
    ``sys.argv[1:]`` while it runs. ``encoding``: of a script.
    """

    def __init__(self, path: str | os.PathLike, demo_name: str | None = None,
                 encoding: str = "utf-8", argv: Iterable[str] = ()):
        self.path = Path(path).resolve()
        self.demo_name = demo_name
        self.encoding = encoding
        self.argv = list(argv)
        self.notebook = self.path.suffix == ".ipynb"
        self.runs = 0
        #: whether a run has made a demo (until then NO_RELOAD is True)
        self.succeeded = False
        self._namespace: dict[str, Any] = {}
        self._shown: tuple[Any, dict] | None = None

    @property
    def module_name(self) -> str:
        return self.path.stem.replace("-", "_").replace(" ", "_") or "app"

    def load(self) -> Loaded:
        """Run the file (again) and return its demo.

        Raises ``LoadError`` (with the traceback to show) when the file does
        not parse, raises, or defines no demo.
        """
        import nbdemo

        # NO_RELOAD blocks run until a run succeeds (a first run that failed
        # may not have reached them)
        first = not self.succeeded
        self.runs += 1
        nbdemo.NO_RELOAD = first
        module = types.ModuleType(self.module_name)
        # names a NO_RELOAD block defined on the first run stay bound on reruns
        module.__dict__.update({k: v for k, v in self._namespace.items()
                                if not (k.startswith("__") and k.endswith("__"))})
        module.__file__ = str(self.path)
        folder = str(self.path.parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        old_module, old_argv = sys.modules.get(self.module_name), sys.argv
        sys.modules[self.module_name] = module  # dataclasses, pickle look the module up
        sys.argv = [str(self.path), *self.argv]
        self._shown = None
        _running.app = self
        try:
            if self.notebook:
                displayed = self._run_notebook(module.__dict__)
            else:
                displayed = None
                source = self.path.read_text(encoding=self.encoding)
                exec(compile(source, str(self.path), "exec"), module.__dict__)
        except BaseException as e:
            if isinstance(e, KeyboardInterrupt):
                raise
            if old_module is not None:
                sys.modules[self.module_name] = old_module
            raise LoadError(_user_traceback(e)) from None
        finally:
            _running.app = None
            sys.argv = old_argv
        self._namespace = module.__dict__
        loaded = self._pick(module.__dict__, displayed)
        self.succeeded = True
        return loaded

    def _pick(self, namespace: dict[str, Any], displayed: Any) -> Loaded:
        Blocks = _blocks_type()
        shown, kwargs = self._shown or (None, {})
        if self.demo_name is not None:
            demo = namespace.get(self.demo_name)
            if isinstance(demo, Blocks):
                return Loaded(demo, kwargs if demo is shown else {})
            found = [k for k, v in namespace.items() if isinstance(v, Blocks)]
            hint = f"; it defines {', '.join(found)}" if found else ""
            raise LoadError(f"{self.path.name} defines no Blocks/Interface named "
                            f"{self.demo_name!r}{hint}\n")
        if self.notebook:
            candidates = [displayed, shown, namespace.get("demo")]
        else:
            candidates = [namespace.get("demo"), shown]
        for demo in candidates:
            if isinstance(demo, Blocks):
                return Loaded(demo, kwargs if demo is shown else {})
        found = [k for k, v in namespace.items() if isinstance(v, Blocks) and not k.startswith("_")]
        if len(found) == 1:
            return Loaded(namespace[found[0]])
        hint = f" (it defines {', '.join(found)}: use --demo-name)" if found else ""
        raise LoadError(f"{self.path.name} defines no demo: no Blocks/Interface named 'demo'"
                        f"{' displayed or' if self.notebook else ''} launched{hint}\n")

    def _run_notebook(self, namespace: dict[str, Any]) -> Any:
        """Run the code cells in order; the last Blocks a cell displayed (its
        last expression, or ``launch()``), if any."""
        Blocks = _blocks_type()
        nb = json.loads(self.path.read_text(encoding="utf-8"))
        displayed = None
        n = 0
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            n += 1
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else src
            if src.lstrip().startswith("%%"):
                continue  # a cell magic: not Python
            lines = ["" if line.lstrip().startswith(("%", "!")) else line
                     for line in src.splitlines()]
            tree = ast.parse("\n".join(lines), filename=f"{self.path} (cell {n})")
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            name = f"{self.path.name} (cell {n})"
            self._shown = None
            exec(compile(tree, name, "exec"), namespace)
            value = None
            if last is not None:
                value = eval(compile(ast.Expression(last.value), name, "eval"), namespace)
            if isinstance(value, Blocks):
                displayed = value
            elif self._shown is not None:
                displayed = self._shown[0]
        return displayed

    def forget_modules(self, folders: Iterable[Path]) -> None:
        """Drop modules imported from ``folders`` (not nbdemo's own), so the
        next run imports them afresh."""
        roots = [str(Path(f).resolve()) + os.sep for f in folders]
        nbdemo_dir = str(Path(__file__).resolve().parent) + os.sep
        for name, mod in list(sys.modules.items()):
            file = getattr(mod, "__file__", None)
            if not file or name == self.module_name:
                continue
            file = str(Path(file).resolve())
            if file.startswith(nbdemo_dir) or "site-packages" in file:
                continue
            if any(file.startswith(r) for r in roots):
                del sys.modules[name]


def error_page(title: str, text: str):
    """A demo showing ``text`` (a traceback): served when the first run fails."""
    import nbdemo as gr

    with gr.Blocks(title=title) as page:
        gr.Markdown(f"# {title} could not start\n\nFix the file and save it; this page "
                    "updates by itself.", elem_classes=["nbd-reload-failed"])
    return page


def notify(server, msg: dict) -> None:
    """Send ``msg`` to every open page of ``server`` (from any thread)."""
    loop = server.loop
    if loop is None:
        return

    def send() -> None:
        for mount in server.app.nbdemo_mounts:
            for sock in list(mount.sockets):
                if sock.session is not None:
                    sock.session.emit(msg)

    loop.call_soon_threadsafe(send)


def watch(folders: list[Path], on_change: Callable[[set[Path]], None],
          stop: threading.Event | None = None) -> None:
    """Call ``on_change(changed paths)`` for every batch of saves of ``.py``
    (and ``.ipynb``) files in ``folders``, until ``stop`` is set or Ctrl+C.

    Raises ``ModuleNotFoundError`` naming the extra when watchfiles is missing.
    """
    try:
        import watchfiles
    except ModuleNotFoundError as e:
        raise ModuleNotFoundError('reload mode needs watchfiles: pip install "nbdemo[reload]"',
                                  name="watchfiles") from e

    class Filter(watchfiles.PythonFilter):
        ignore_dirs = (*watchfiles.DefaultFilter.ignore_dirs, *IGNORE_DIRS)

    for changes in watchfiles.watch(*folders, watch_filter=Filter(extra_extensions=(".ipynb",)),
                                    stop_event=stop, step=20, debounce=400,
                                    raise_interrupt=True):
        changed = {Path(p) for change, p in changes if change != watchfiles.Change.deleted}
        if changed:
            on_change(changed)


def serve(app: App, *, host: str = "127.0.0.1", port: int | None = None, reload: bool = False,
          watch_dirs: Iterable[str | os.PathLike] = (), show_error: bool = False,
          stop: threading.Event | None = None, quiet: bool = False,
          on_ready: Callable[[Any], None] | None = None) -> int:
    """Run ``app``, serve its demo at ``host:port``, and with ``reload`` run it
    again on every save in its folder, the working directory and ``watch_dirs``.
    Blocks until Ctrl+C (or ``stop`` is set). Returns the exit status: 1 when
    the app fails without ``reload``, else 0.
    """
    from .server import Server
    from .server.source import DemoSource

    def say(text: str, err: bool = False) -> None:
        if not quiet or err:
            print(text, file=sys.stderr if err else sys.stdout, flush=True)

    try:
        loaded = app.load()
        error = None
    except LoadError as e:
        if not reload:
            say(e.text.rstrip(), err=True)
            return 1
        loaded, error = None, e.text
        say(f"* {app.path.name} failed; fix it and save:\n{e.text.rstrip()}", err=True)
    kwargs = loaded.launch_kwargs if loaded else {}
    host = kwargs.get("server_name") or host
    port = port if port is not None else kwargs.get("server_port")
    show_error = show_error or bool(kwargs.get("show_error"))
    blocks = loaded.blocks if loaded else error_page(app.path.name, error)
    source = DemoSource.of(blocks)
    if error:
        source.error = error
    # what the script's launch() asked for (server_name/port above; the rest here)
    server = Server({"/": source}, host=host, port=port, show_error=show_error, quiet=True,
                    max_file_size=kwargs.get("max_file_size"), auth=kwargs.get("auth"),
                    auth_message=kwargs.get("auth_message"),
                    allowed_hosts=kwargs.get("allowed_hosts"), limits=kwargs.get("limits"))
    server.start()
    say(f"* Running on local URL:  {server.url}")
    if on_ready is not None:
        on_ready(server)
    if not reload:
        try:
            if stop is not None:
                stop.wait()
            else:
                server.block()
        finally:
            server.stop()
        return 0

    folders = [app.path.parent, Path.cwd(), *(Path(d).resolve() for d in watch_dirs)]
    folders = [f for i, f in enumerate(folders) if f.is_dir() and f not in folders[:i]]
    say("* Watching: " + ", ".join(f"'{f}'" for f in folders) + " (Ctrl+C to stop)")

    def on_change(changed: set[Path]) -> None:
        names = ", ".join(sorted(p.name for p in changed))
        say(f"* Reloading {app.path.name} ({names} changed)")
        t0 = time.perf_counter()
        app.forget_modules(folders)
        try:
            new = app.load()
        except LoadError as e:
            say(f"* Reload failed; still serving the last working demo:\n{e.text.rstrip()}",
                err=True)
            source.set_error(e.text)
            notify(server, {"type": protocol.RELOAD, "error": e.text})
            return
        if show_error or new.launch_kwargs.get("show_error"):
            new.blocks.engine.show_error = True
        source.replace(new.blocks)
        notify(server, {"type": protocol.RELOAD, "error": None})
        say(f"* Reloaded in {time.perf_counter() - t0:.2f} s")

    try:
        watch(folders, on_change, stop)
    except KeyboardInterrupt:
        say("\nKeyboard interruption: closing server.")
    finally:
        server.stop()
    return 0
