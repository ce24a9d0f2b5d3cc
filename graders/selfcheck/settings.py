"""Every tolerance, step size and example count the self-checker uses, in one place.

The values mirror the instructor's grader (nnlab's graders/settings.py, where the reasoning
is written out at length); the fixtures' manifest records the ones it was written with and
:func:`Settings.from_manifest` takes those, so a release always checks with the numbers its
fixtures were made for.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Settings:
    # Correct float64 code differs from the reference by rounding only: entry i may differ by
    # rtol * |expected_i| + atol_scale * (largest magnitude involved). Any real bug (a wrong
    # sign, factor, index or term) changes results by 1e-4 relative or more.
    rtol: float = 1e-7
    atol_scale: float = 1e-9
    atol_floor: float = 1e-12  # an all-zero expected array may hold 1e-300s
    # Optimizer trajectories compound rounding over steps (division by sqrt(v) + eps).
    trajectory_rtol: float = 1e-6
    # Central differences with h = 1e-5 agree with a correct float64 backward to ~1e-8;
    # 1e-5 leaves three orders of headroom and still catches every wrong term.
    gradcheck_step: float = 1e-5
    gradcheck_rtol: float = 1e-5
    gradcheck_noise: float = 100 * 2.2e-16  # rounding noise of a difference quotient, per |f|
    gradcheck_max_entries: int = 150  # entries probed one by one (a border-pixel bug hides in a projection)
    # Properties relate outputs computed along different paths: one order looser than rtol.
    property_rtol: float = 1e-6
    # Few examples: the checker must finish an assignment in seconds; derandomized, so the
    # same examples every run.
    property_examples: int = 8
    # A correct dropout rate lands within 5 standard deviations with probability 1 - 6e-7.
    dropout_sigmas: float = 5.0
    # Initialisers are judged by one large draw (>= 20 000 entries): a correct one lands within
    # 6 standard errors of the rule's mean and std with probability 1 - 2e-9; the fraction of
    # entries beyond sqrt(3) std tells the shapes apart (8.3% normal, 0 uniform); the largest
    # uniform entry comes within 30/n of the bound b (missed with probability e^-30).
    init_sigmas: float = 6.0
    init_tail_fraction: float = 0.04
    init_bound_reach: float = 30.0
    # A mean within 1e-9 standard errors of 0 is a sample shifted by its own mean (w -= w.mean()).
    init_recentred_sem: float = 1e-9
    # Digits of a value in a message: enough to see a difference, stable across runs.
    report_digits: int = 6
    # "Low precision" (float32 somewhere): the worst relative error lies in this band and at
    # least half of the entries are off; a mistake in the maths shows errors of 1e-4 and more.
    precision_band: tuple[float, float] = (1e-10, 3e-6)

    @classmethod
    def from_manifest(cls, values: dict[str, Any] | None) -> Settings:
        known = {f.name for f in fields(cls)}
        given = {k: (tuple(v) if isinstance(v, list) else v) for k, v in (values or {}).items() if k in known}
        return replace(cls(), **given)

    def as_plain(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT = Settings()
