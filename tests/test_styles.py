"""The stylesheet's colours meet WCAG's contrast minimums where the tests can read them."""

import re
from pathlib import Path

CSS = (Path(__file__).parents[1] / "handlespor/static/handlespor/site.css").read_text()


def _colours() -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_focus_ring_has_three_to_one_contrast_on_light_and_dark_backgrounds():
    colours = _colours()
    rule = re.search(r":focus-visible\s*\{([^}]*)\}", CSS).group(1)

    assert "outline: 3px solid var(--focus)" in rule
    assert "box-shadow: 0 0 0 6px var(--focus-outer)" in rule
    # The dark outer ring borders the light page and cards; the yellow inner ring borders the
    # dark header and the primary buttons.
    for light in ("paper", "card", "accent-soft"):
        assert _contrast(colours["focus-outer"], colours[light]) >= 3
    for dark in ("accent-dark", "accent", "focus-outer"):
        assert _contrast(colours["focus"], colours[dark]) >= 3
