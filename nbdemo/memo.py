"""``gr.cache`` and ``gr.Cache``: results kept in memory, keyed by their inputs' content.

Gradio 6's names and semantics:

- ``@gr.cache`` (or ``@gr.cache(key=..., max_size=..., max_memory=...,
  per_session=...)``, or ``gr.cache(fn)(*args)`` at run time) wraps a sync or
  async function or generator: a call whose arguments hash the same as an
  earlier call's returns the stored result (a generator replays every value it
  yielded) without calling ``fn``.
- ``gr.Cache(...)`` is a store with ``get(key)`` (a dict, or None),
  ``set(key, **data)``, ``keys()``, ``clear()`` and ``len()``, typically the
  default of a parameter (``def f(x, c=gr.Cache()):``).

Keys are hashed by content: str/int/float/bool/None/bytes, lists, tuples,
dicts and sets of those, NumPy arrays (shape, dtype, bytes), PIL images (mode,
size, pixels) and pandas DataFrames (columns and values); any other object by
its ``repr``. Entries are evicted least recently used first when there are more
than ``max_size`` (0: no limit) or their estimated size passes ``max_memory``
(bytes, or "512mb"/"2gb" as in ``max_file_size``). ``per_session=True`` gives
each session (page, API client, notebook) its own entries, dropped when the
session ends; outside any session (a plain call) entries are shared. The
limits apply to all sessions together, as in Gradio.

nbdemo differs in one way: Gradio lets a cache hit skip its queue; in nbdemo
the run is queued as any other, and the hit returns at once.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import inspect
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .engine.run import current_run
from .files import parse_size

_SHARED = "shared"


def cache_hash(obj: Any) -> str:
    """A SHA-256 hex digest of ``obj``'s content (see the module docstring)."""
    return hashlib.sha256(_repr(obj).encode("utf-8", "surrogatepass")).hexdigest()


def _repr(obj: Any) -> str:
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return f"{type(obj).__name__}:{obj!r}"
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return "B" + hashlib.sha256(bytes(obj)).hexdigest()
    if isinstance(obj, (list, tuple)):
        return ("L[" if isinstance(obj, list) else "T[") + ",".join(_repr(x) for x in obj) + "]"
    if isinstance(obj, dict):
        return "D{" + ",".join(sorted(f"{_repr(k)}:{_repr(v)}" for k, v in obj.items())) + "}"
    if isinstance(obj, (set, frozenset)):
        return "S{" + ",".join(sorted(_repr(x) for x in obj)) + "}"
    np = sys.modules.get("numpy")
    if np is not None and isinstance(obj, np.ndarray):
        data = np.ascontiguousarray(obj)
        return f"np({obj.shape},{obj.dtype},{hashlib.sha256(data.tobytes()).hexdigest()})"
    pil = sys.modules.get("PIL.Image")
    if pil is not None and isinstance(obj, pil.Image):
        return f"PIL({obj.mode},{obj.size},{hashlib.sha256(obj.tobytes()).hexdigest()})"
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(obj, pd.DataFrame):
        values = pd.util.hash_pandas_object(obj, index=False).to_numpy().tobytes()
        return f"pd({_repr(list(map(str, obj.columns)))},{hashlib.sha256(values).hexdigest()})"
    return f"{type(obj).__qualname__}:{obj!r}"


def _size(obj: Any) -> int:
    """An estimate of ``obj``'s memory in bytes (arrays by their buffers)."""
    nbytes = getattr(obj, "nbytes", None)
    if isinstance(nbytes, int):
        return nbytes
    if isinstance(obj, (list, tuple, set, frozenset)):
        return sys.getsizeof(obj) + sum(_size(x) for x in obj)
    if isinstance(obj, dict):
        return sys.getsizeof(obj) + sum(_size(k) + _size(v) for k, v in obj.items())
    pil = sys.modules.get("PIL.Image")
    if pil is not None and isinstance(obj, pil.Image):
        return obj.width * obj.height * len(obj.getbands())
    return sys.getsizeof(obj)


def _session() -> Any:
    run = current_run.get()
    return None if run is None else run.session


class _Store:
    """A thread-safe LRU of entries (dicts), namespaced per session when asked."""

    def __init__(self, max_size: int = 128, max_memory: str | int | None = None,
                 per_session: bool = False):
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 0:
            raise ValueError(f"max_size must be an int >= 0 (0: no limit), got {max_size!r}")
        self.max_size = max_size
        self.max_memory = parse_size(max_memory)
        self.per_session = per_session
        self._entries: OrderedDict[tuple[str, str], tuple[dict, int]] = OrderedDict()
        self._memory = 0
        self._lock = threading.Lock()
        self._watched: weakref.WeakSet = weakref.WeakSet()

    def _namespace(self) -> str:
        if not self.per_session:
            return _SHARED
        session = _session()
        if session is None:
            return _SHARED
        with self._lock:
            if session not in self._watched:
                self._watched.add(session)
                weakref.finalize(session, self._drop, session.session_hash)
        closed = getattr(session, "closed", False)
        return session.session_hash if not closed else _SHARED

    def _drop(self, namespace: str) -> None:
        with self._lock:
            for k in [k for k in self._entries if k[0] == namespace]:
                self._memory -= self._entries.pop(k)[1]

    def get(self, key_hash: str) -> dict | None:
        k = (self._namespace(), key_hash)
        with self._lock:
            found = self._entries.get(k)
            if found is None:
                return None
            self._entries.move_to_end(k)
            return found[0]

    def put(self, key_hash: str, **entry: Any) -> None:
        k = (self._namespace(), key_hash)
        size = _size(entry)
        with self._lock:
            old = self._entries.pop(k, None)
            if old is not None:
                self._memory -= old[1]
            self._entries[k] = (entry, size)
            self._memory += size
            while self._entries and ((self.max_size and len(self._entries) > self.max_size)
                                     or (self.max_memory is not None and self._memory > self.max_memory
                                         and len(self._entries) > 1)):
                self._memory -= self._entries.popitem(last=False)[1][1]

    def keys(self) -> list[Any]:
        ns = self._namespace()
        with self._lock:
            return [e["_key"] for (n, _), (e, _) in self._entries.items() if n == ns and "_key" in e]

    def clear(self) -> None:
        self._drop(self._namespace())

    def __len__(self) -> int:
        ns = self._namespace()
        with self._lock:
            return sum(1 for n, _ in self._entries if n == ns)


class Cache:
    """A manual cache (Gradio 6's ``gr.Cache``): ``set(key, **data)`` stores
    ``data`` under ``key`` (any value :func:`cache_hash` takes); ``get(key)``
    returns that data as a dict, or None; ``keys()`` the stored keys; ``clear()``
    empties it. Use it as a parameter's default (``def f(x, c=gr.Cache()):``):
    the same store serves every call. ``max_size``/``max_memory``/``per_session``:
    see :mod:`nbdemo.memo`. Raises ``ValueError`` for a bad limit."""

    def __init__(self, *, max_size: int = 128, max_memory: str | int | None = None,
                 per_session: bool = False):
        self._store = _Store(max_size, max_memory, per_session)

    def get(self, key: Any) -> dict | None:
        entry = self._store.get(cache_hash(key))
        return None if entry is None else {k: v for k, v in entry.items() if k != "_key"}

    def set(self, key: Any, **data: Any) -> None:
        self._store.put(cache_hash(key), _key=key, **data)

    def keys(self) -> list[Any]:
        return self._store.keys()

    def clear(self) -> None:
        self._store.clear()

    def __len__(self) -> int:
        return len(self._store)

    def __repr__(self) -> str:
        return f"Cache(entries={len(self)})"


def cache(fn: Callable | None = None, *, key: Callable | None = None, max_size: int = 128,
          max_memory: str | int | None = None, per_session: bool = False):
    """Keep ``fn``'s results by the content of its arguments (Gradio 6's ``gr.cache``).

    ``@gr.cache``, ``@gr.cache(...)`` or ``gr.cache(fn)(*args)``. Works for sync
    and async functions and generators (a hit replays every yielded value).
    ``key``: a function of the arguments as a dict (``{name: value}``, defaults
    filled in) returning what to hash instead (``lambda kw: kw["prompt"]``).
    The wrapper has ``.cache`` (its store: ``len()``, ``clear()``). Calling
    ``gr.cache(f)`` again with the same arguments returns the same wrapper, so a
    run-time ``gr.cache(f)(x)`` keeps its entries between calls. Raises
    ``TypeError`` when ``fn`` is not callable.
    """
    def decorate(func: Callable) -> Callable:
        if not callable(func):
            raise TypeError("gr.cache(...) takes a function: gr.cache(fn)(*args), "
                            f"not gr.cache(fn(*args)); got {type(func).__name__}")
        return _wrapper(func, key, max_size, max_memory, per_session)

    return decorate if fn is None else decorate(fn)


_wrappers: dict[tuple, Callable] = {}
_wrappers_lock = threading.Lock()


def _wrapper(func, key, max_size, max_memory, per_session) -> Callable:
    ident = (func, key, max_size, max_memory, per_session)
    with _wrappers_lock:
        found = _wrappers.get(ident)
        if found is None:
            found = _wrappers[ident] = _make(func, _Store(max_size, max_memory, per_session), key)
        return found


def _make(func: Callable, store: _Store, key: Callable | None) -> Callable:
    signature = inspect.signature(func)

    def hash_of(args, kwargs) -> tuple[str, dict]:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        named = dict(bound.arguments)
        return cache_hash(key(named) if key is not None else named), named

    if inspect.isasyncgenfunction(func):
        @functools.wraps(func)
        async def agen(*args, **kwargs):
            h, _ = hash_of(args, kwargs)
            hit = store.get(h)
            if hit is not None:
                for value in hit["yields"]:
                    yield value
                return
            seen = []
            async for value in func(*args, **kwargs):
                seen.append(copy.deepcopy(value))
                yield value
            store.put(h, yields=seen)
        wrapped: Callable = agen
    elif inspect.isgeneratorfunction(func):
        @functools.wraps(func)
        def gen(*args, **kwargs):
            h, _ = hash_of(args, kwargs)
            hit = store.get(h)
            if hit is not None:
                yield from hit["yields"]
                return
            seen = []
            for value in func(*args, **kwargs):
                seen.append(copy.deepcopy(value))
                yield value
            store.put(h, yields=seen)
        wrapped = gen
    elif inspect.iscoroutinefunction(func):
        @functools.wraps(func)
        async def coro(*args, **kwargs):
            h, _ = hash_of(args, kwargs)
            hit = store.get(h)
            if hit is not None:
                return hit["value"]
            value = await func(*args, **kwargs)
            store.put(h, value=value)
            return value
        wrapped = coro
    else:
        @functools.wraps(func)
        def sync(*args, **kwargs):
            h, _ = hash_of(args, kwargs)
            hit = store.get(h)
            if hit is not None:
                return hit["value"]
            value = func(*args, **kwargs)
            store.put(h, value=value)
            return value
        wrapped = sync
    wrapped.cache = store  # type: ignore[attr-defined]
    return wrapped
