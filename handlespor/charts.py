"""The horizontal bars of the representation charts, shared by the dashboard (each track's pool)
and the selection board (each proposed group against its targets): a filled part, markers where
targets lie, and a text that says the same in words. Drawn by `templates/_bar.html`; pure Python."""

from dataclasses import dataclass

BAR_WIDTH = 240  # pixels of a full bar


def _x(fraction: float) -> int:
    return round(min(max(fraction, 0.0), 1.0) * BAR_WIDTH)


@dataclass(frozen=True)
class Bar:
    """One bar: `filled` and each of `markers` are fractions of the full width (0..1)."""

    label: str
    filled: float
    text: str
    markers: tuple[float, ...] = ()
    met: bool | None = None  # against a target, when the bar stands for one

    @property
    def width(self) -> int:
        return _x(self.filled)

    @property
    def marker_xs(self) -> list[int]:
        return [_x(marker) for marker in self.markers]


def share_bar(*, label: str, count: int, total: int, markers: tuple[float, ...] = ()) -> Bar:
    """A count as a share of a total, e.g. one value's share of a track's pool."""
    share = count / total if total else 0.0
    return Bar(label=label, filled=share, text=f"{count} · {round(share * 100)} %", markers=markers)


def target_bar(
    *,
    label: str,
    text: str,
    measure: int,
    size: int,
    amount: float,
    is_share: bool,
    seats: int,
    met: bool,
) -> Bar:
    """A group's measure against one target: a share target against 100 % of the group, a
    count target against the track's seats (or the target or measure, if larger)."""
    if is_share:
        filled, marker = (measure / size if size else 0.0), amount / 100
    else:
        scale = max(seats, amount, measure, 1)
        filled, marker = measure / scale, amount / scale
    return Bar(label=label, filled=filled, text=text, markers=(marker,), met=met)
