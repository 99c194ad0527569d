"""The transport-agnostic engine: sessions, the event runner, concurrency limits.

Imports neither tornado nor ipywidgets; front doors adapt to it.
"""

from .app import App
from .runner import Engine
from .session import Session

__all__ = ["App", "Engine", "Session"]
