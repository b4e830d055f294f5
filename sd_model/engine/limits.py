"""Non-negative stocks: limit the flows that would drain them below zero.

For a non-negative stock ``S``, each flow that drains it (an outflow with a
positive rate, or an inflow with a negative one) is limited, when it is
evaluated, to the budget

    max(0, S / dt + sum of the rates of S's flows evaluated before it),

counting fills as positive and drains as negative. The engine evaluates a
non-negative stock's inflows before its outflows whenever the equations allow
it, so an outflow may use what flows in during the same step. Outflows are
served in evaluation order (declaration order unless a flow reads another),
like Stella's outflow priority. The limited rate is the one every reader of
the flow sees and the one the receiving stock gets, so material is conserved.

Under Euler the stock provably stays non-negative; after each step the engine
clamps it at zero, which there removes only round-off (a drained stock can land
on -4e-16). Under RK4 the limit is part of each stage's derivative, which keeps
the continuous solution non-negative (the fully limited case ``S' = -S/dt`` has
the positive RK4 factor 3/8); should a combined RK4 step still overshoot below
zero, the clamp keeps the stock at zero at the price of that overshoot's
conservation, like PySD's non-negative stocks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sd_model.engine.elementwise import maximum, minimum
from sd_model.engine.variables import Equation, Variable

# One limited end of a flow: (the flow drains the stock when positive,
# signs of the earlier flows' rates in the stock's balance).
_End = tuple[bool, tuple[int, ...]]


def limit_flows(
    order: Sequence[str], variables: Mapping[str, Variable], equations: Mapping[str, Equation]
) -> dict[str, Equation]:
    """Return ``equations`` with the flows of non-negative stocks wrapped in their limits.

    Parameters
    ----------
    order : sequence of str
        Evaluation order of the auxiliaries and flows.
    variables : mapping
        The model's declarations.
    equations : mapping
        Unlimited equation of each auxiliary and flow.
    """
    guarded = {n for n, v in variables.items() if v.kind == "stock" and v.non_negative}
    seen: dict[str, list[str]] = {stock: [] for stock in guarded}
    result = dict(equations)
    for name in order:
        var = variables[name]
        if var.kind not in ("flow", "pipeline"):
            continue
        ends: list[tuple[str, bool, list[str]]] = [
            (stock, drains, list(seen[stock]))
            for stock, drains in ((var.from_stock, True), (var.to_stock, False))
            if stock in guarded
        ]
        if ends and var.kind == "flow":
            result[name] = _limited(equations[name], ends, variables)
        for stock, _, _ in ends:
            seen[stock].append(name)
    return result


def _limited(
    eq: Equation, ends: list[tuple[str, bool, list[str]]], variables: Mapping[str, Variable]
) -> Equation:
    """Wrap one flow's equation: read the stocks and earlier flows, clip the rate."""
    args = [*eq.args, "dt"]
    layout: list[_End] = []
    for stock, drains, earlier in ends:
        signs = tuple(1 if variables[e].to_stock == stock else -1 for e in earlier)
        args += [stock, *earlier]
        layout.append((drains, signs))
    n_raw, fn = len(eq.args), eq.fn

    def limited(*values: Any) -> Any:
        rate, dt, pos = fn(*values[:n_raw]), values[n_raw], n_raw + 1
        for drains, signs in layout:
            budget = values[pos] / dt
            for j, sign in enumerate(signs):
                budget = budget + sign * values[pos + 1 + j]
            pos += 1 + len(signs)
            budget = maximum(budget, 0.0)
            rate = minimum(rate, budget) if drains else maximum(rate, -budget)
        return rate

    return Equation(limited, tuple(args))
