"""Which requirement a broken limit conflicts with, found by relaxing one at a time.

When a strict plan is infeasible, the elastic plan shows which limits break
(money raised beyond the budget, hardware that cannot be energized, missing
headroom). What they conflict with is a *requirement* the plan may not drop:
a contract milestone, a binding contract, a vendor's fixed deliveries. Each
requirement is relaxed in turn (its GW set to zero, or its deliveries freed)
and the elastic model re-solved warm; a requirement conflicts with the limits
whose violation shrinks without it, by how much and when ("amd's milestone
of 1.00 GW purchased by 2026Q4 needs $12B more than the budget allows in
2026Q3–2026Q4"). A handful of warm re-solves, only on the error path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo

from optimization.lp.data import ModelData
from optimization.lp.plan import Plan

__all__ = ["Requirement", "Violation", "conflict_lines", "requirements", "violations"]

TOL_GW = 1e-3
TOL_BUSD = 1e-2


@dataclass(frozen=True)
class Violation:
    """How far one limit breaks: an amount, its unit's words and the periods."""

    amount: float
    periods: tuple[str, ...]


@dataclass(frozen=True)
class Requirement:
    """Something the strict plan must do, and how to relax it for one re-solve."""

    words: str
    relax: Callable[[], Any]  # a context manager factory


def _span(periods: tuple[str, ...]) -> str:
    return periods[0] if len(periods) == 1 else f"{periods[0]}–{periods[-1]}"


def violations(plan: Plan, data: ModelData) -> dict[str, Violation]:
    """The broken limits of an elastic ``plan``, keyed by a phrase naming the limit.

    Amounts: $B for the budget, GW-years for stranded hardware, peak GW for
    headroom, unpowered load and contract shortfalls.
    """
    found: dict[str, Violation] = {}

    def add(key: str, values: np.ndarray, periods: np.ndarray, total: float) -> None:
        hot = values > (TOL_BUSD if key == "budget" else TOL_GW)
        if hot.any() and total > 0:
            found[key] = Violation(float(total), tuple(periods[hot].tolist()))

    cash = plan.cash
    overrun = cash["overrun_busd"].to_numpy()
    add("budget", overrun, cash["period"].to_numpy(), float(overrun.sum()))
    for frame, key_column, value_column, label, years in (
        (plan.deliveries, "vendor", "stranded_gw", "stranded", True),
        (plan.regions, "region", "headroom_short_gw", "headroom", False),
        (plan.sites, "site", "unpowered_gw", "unpowered", False),
    ):
        for key, rows in frame.groupby(key_column, sort=False):
            values = rows[value_column].to_numpy()
            total = values.sum() * data.years_per_period if years else values.max()
            add(f"{label}:{key}", values, rows["period"].to_numpy(), float(total))
    return found


def _phrase(key: str, violation: Violation) -> str:
    kind, _, what = key.partition(":")
    when = _span(violation.periods)
    if kind == "budget":
        return f"${violation.amount:.3g}B more than the budget allows in {when}"
    if kind == "stranded":
        return (
            f"hardware bought before it can be used ({violation.amount:.2f} GW-years "
            f"of {what} hardware stranded in {when})"
        )
    if kind == "headroom":
        return f"{violation.amount:.2f} GW more {what} headroom than the grid offers in {when}"
    return f"power for {violation.amount:.2f} GW of running load at {what} in {when}"


def requirements(m: Any, data: ModelData) -> list[Requirement]:
    """The requirements of the model ``m`` that a diagnosis may relax one at a time."""
    found: list[Requirement] = []
    periods = data.periods
    if hasattr(m, "MK"):
        for v, tau in m.MK:
            gw = pyo.value(m.p_milestone_gw[v, tau])
            if gw > TOL_GW:
                words = f"{v}'s milestone of {gw:.2f} GW purchased by {periods[tau]}"
                found.append(Requirement(words, _zeroed(m.p_milestone_gw[v, tau])))
    deadline = data.vendors["deadline_period"].map(data.position)
    for v in m.VB:
        gw = pyo.value(m.p_binding_gw[v])
        words = f"{v}'s binding contract ({gw:.2f} GW energized by {periods[deadline[v]]})"
        found.append(Requirement(words, _zeroed(m.p_binding_gw[v])))
    for v in m.V:
        fixed = [m.deliver[v, t] for t in m.T if (v, t) in m.VT and m.deliver[v, t].fixed]
        if fixed and any(var.value and var.value > TOL_GW for var in fixed):
            found.append(Requirement(f"{v}'s fixed delivery schedule", _freed(fixed)))
    return found


def _zeroed(param: Any) -> Callable[[], Any]:
    @contextmanager
    def relax() -> Iterator[None]:
        value = param.value
        param.set_value(0.0)
        try:
            yield
        finally:
            param.set_value(value)

    return relax


def _freed(variables: list[Any]) -> Callable[[], Any]:
    @contextmanager
    def relax() -> Iterator[None]:
        values = [var.value for var in variables]
        for var in variables:
            var.unfix()
        try:
            yield
        finally:
            for var, value in zip(variables, values, strict=True):
                var.fix(value)

    return relax


def conflict_lines(
    elastic: Plan,
    data: ModelData,
    candidates: list[Requirement],
    solve_without: Callable[[Requirement], Plan | None],
) -> tuple[str, ...]:
    """Sentences pairing each requirement with the broken limits it drives.

    ``solve_without(requirement)`` re-solves the elastic model with the
    requirement relaxed and returns its plan (``None`` if that fails). A
    limit is paired with a requirement when its violation shrinks by more
    than 5 % (and more than the tolerance) without the requirement.
    """
    broken = violations(elastic, data)
    if not broken:
        return ()
    lines = []
    for requirement in candidates:
        relaxed = solve_without(requirement)
        if relaxed is None:
            continue
        after = violations(relaxed, data)
        eased = []
        for key, violation in broken.items():
            left = after[key].amount if key in after else 0.0
            drop = violation.amount - left
            tol = TOL_BUSD if key == "budget" else TOL_GW
            if drop > max(tol, 0.05 * violation.amount):
                eased.append(_phrase(key, Violation(drop, violation.periods)))
        if eased:
            lines.append(f"{requirement.words} needs " + "; and ".join(eased))
    return tuple(lines)
