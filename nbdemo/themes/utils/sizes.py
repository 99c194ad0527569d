"""Size scales for themes: seven steps (xxs … xxl) of a radius, spacing or text size."""

from __future__ import annotations

STEPS = ("xxs", "xs", "sm", "md", "lg", "xl", "xxl")


class Size:
    """Seven CSS lengths, smallest to largest."""

    all: list[Size] = []

    def __init__(self, xxs: str, xs: str, sm: str, md: str, lg: str, xl: str, xxl: str,
                 name: str | None = None):
        self.xxs, self.xs, self.sm, self.md, self.lg, self.xl, self.xxl = xxs, xs, sm, md, lg, xl, xxl
        self.name = name
        Size.all.append(self)

    def expand(self) -> list[str]:
        return [getattr(self, s) for s in STEPS]

    def __repr__(self) -> str:
        return f"Size({self.name or self.md})"


def _px(*values: int) -> list[str]:
    return [f"{v}px" for v in values]


radius_none = Size(*_px(0, 0, 0, 0, 0, 0, 0), name="radius_none")
radius_sm = Size(*_px(1, 1, 2, 4, 6, 8, 12), name="radius_sm")
radius_md = Size(*_px(1, 2, 4, 6, 8, 12, 22), name="radius_md")
radius_lg = Size(*_px(2, 4, 6, 8, 12, 16, 24), name="radius_lg")
radius_xxl = Size(*_px(6, 8, 10, 20, 24, 28, 32), name="radius_xxl")
spacing_sm = Size(*_px(1, 1, 2, 4, 6, 9, 12), name="spacing_sm")
spacing_md = Size(*_px(1, 2, 4, 6, 8, 10, 16), name="spacing_md")
spacing_lg = Size(*_px(2, 4, 6, 8, 10, 14, 28), name="spacing_lg")
text_sm = Size(*_px(8, 9, 11, 13, 16, 20, 24), name="text_sm")
text_md = Size(*_px(9, 10, 12, 14, 16, 22, 26), name="text_md")
text_lg = Size(*_px(10, 12, 14, 16, 20, 24, 28), name="text_lg")

_BY_KIND = {"radius": {"none": radius_none, "sm": radius_sm, "md": radius_md, "lg": radius_lg,
                       "xxl": radius_xxl},
            "spacing": {"sm": spacing_sm, "md": spacing_md, "lg": spacing_lg},
            "text": {"sm": text_sm, "md": text_md, "lg": text_lg}}


def named(kind: str, name: str) -> Size:
    """``named("radius", "sm")`` → :data:`radius_sm`; raises ``ValueError`` listing the names."""
    table = _BY_KIND[kind]
    key = name.removeprefix(f"{kind}_")
    if key not in table:
        raise ValueError(f"unknown {kind} size {name!r}; known: {', '.join(table)}")
    return table[key]
