"""``gr.I18n``: text shown in the visitor's language.

``i18n = gr.I18n(en={"greet": "Hello"}, fr={"greet": "Bonjour"})`` keeps the
translations; ``i18n("greet")`` is a string (an :class:`I18nData`) that holds
a marker for the key, usable as any label, value, choice or info text, as in
Gradio. Where Gradio translates the markers in the browser, nbdemo translates
them on the server, per session, before anything reaches a page: the
standalone page and its session use the best of the page request's
``Accept-Language`` languages that has translations (else "en", else the
first locale given); a function's output is translated for its session too,
so ``fn`` receives and returns text in the visitor's language. Inline in a
notebook the kernel's language (``LANG``) is used. A key missing in a
language shows the key itself.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from typing import Any

#: locale → key → text, from every gr.I18n of this process
_TABLE: dict[str, dict[str, str]] = {}
_PREFIX = "__i18n__"
_MARKER = re.compile(r'__i18n__\{"__type__": "translation_metadata", "key": ("(?:[^"\\]|\\.)*")\}')
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class I18nData(str):
    """A translation key as a string (what ``i18n(key)`` returns): its text is a
    marker the server replaces with the visitor's translation; ``key`` is the key."""

    key: str

    def __new__(cls, key: str) -> I18nData:
        if not isinstance(key, str):
            raise TypeError(f"an i18n key is a str, got {type(key).__name__}")
        text = _PREFIX + json.dumps({"__type__": "translation_metadata", "key": key})
        obj = super().__new__(cls, text)
        obj.key = key
        return obj


class I18n:
    """Translations for a demo (Gradio's ``gr.I18n``): ``**translations`` maps
    locale codes ("en", "fr", "pt-BR") to ``{key: text}`` dicts. Call it with a
    key for a translated string (see the module docstring for where it is
    translated). A locale code that is not BCP 47 warns, as in Gradio; a
    translation table that is not a dict of strings raises ``TypeError``."""

    def __init__(self, **translations: dict[str, str]) -> None:
        self.translations: dict[str, dict[str, str]] = {}
        for locale, table in translations.items():
            if not _LOCALE.match(locale):
                warnings.warn(f"gr.I18n: {locale!r} is not a BCP 47 locale code (such as 'en' or "
                              "'en-US'); it is kept, but browsers will not ask for it", UserWarning,
                              stacklevel=2)
            if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                      for k, v in table.items()):
                raise TypeError(f"gr.I18n({locale}=...) takes a dict of str keys to str texts")
            self.translations[locale] = dict(table)
            _TABLE.setdefault(locale, {}).update(table)

    def __call__(self, key: str) -> I18nData:
        return I18nData(key)

    @property
    def translations_dict(self) -> dict[str, dict[str, str]]:
        return self.translations


def active() -> bool:
    """Whether any translation exists (else nothing needs translating)."""
    return bool(_TABLE)


def locale_for(accept_language: str | None) -> str | None:
    """The locale to show for an ``Accept-Language`` header: the first of its
    languages (by weight) with translations, exactly or by language; else
    "en" if translated, else the first locale given. None without translations."""
    if not _TABLE:
        return None
    wanted = []
    for i, part in enumerate((accept_language or "").split(",")):
        lang, _, q = part.strip().partition(";q=")
        if lang:
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            wanted.append((-weight, i, lang.strip()))
    for _, _, lang in sorted(wanted):
        if lang in _TABLE:
            return lang
        base = lang.split("-")[0].lower()
        for loc in _TABLE:
            if loc.split("-")[0].lower() == base:
                return loc
    return "en" if "en" in _TABLE else next(iter(_TABLE))


def kernel_locale() -> str | None:
    """The locale for inline demos: from ``LANG``/``LC_ALL`` (``fr_FR.UTF-8`` → fr-FR)."""
    lang = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return locale_for(lang.split(".")[0].replace("_", "-"))


def translate(value: Any, locale: str | None) -> Any:
    """``value`` with every marker in its strings (also inside lists and dicts)
    replaced by the ``locale`` text (the key when missing); the same object
    when there is nothing to translate."""
    if locale is None:
        return value
    if isinstance(value, str):
        if _PREFIX not in value:
            return value
        table = _TABLE.get(locale, {})
        return _MARKER.sub(lambda m: table.get(json.loads(m.group(1)), json.loads(m.group(1))), str(value))
    if isinstance(value, list):
        out = [translate(v, locale) for v in value]
        return value if all(a is b for a, b in zip(out, value)) else out
    if isinstance(value, tuple):
        return tuple(translate(v, locale) for v in value)
    if isinstance(value, dict):
        out = {k: translate(v, locale) for k, v in value.items()}
        return value if all(out[k] is value[k] for k in value) else out
    return value


def has_marker(value: Any) -> bool:
    if isinstance(value, str):
        return _PREFIX in value
    if isinstance(value, (list, tuple)):
        return any(has_marker(v) for v in value)
    if isinstance(value, dict):
        return any(has_marker(v) for v in value.values())
    return False
