"""Stress tests: a named shock against the base case, with the counterparty loop on.

:func:`stress_test` runs the scenario twice with the counterparty loop
(:mod:`sd_model.buildout.counterparties`) switched on, once as it is (base) and
once with the shocks, and reports per party and period the payments the lab
missed, liquidity, breach and valuation, the first party to breach, the value
lost on the warrants and stakes, and whether the build-out stalls.

Examples
--------
>>> import sd_model
>>> from sd_model.stress import stress_test
>>> test = stress_test(
...     sd_model.load_scenario("cloud_leases"),
...     ["demand.revenue_busd_per_gw_year_at_start=x0.6@2027Q1"],
... )
>>> test.first_breach("stress")
('lab', '2027Q2')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sd_model.buildout import simulate
from sd_model.buildout.inputs import INSTALLED
from sd_model.buildout.shocks import Shock, parse_shock
from sd_model.scenario.counterparties import LAB
from sd_model.scenario.definition import Scenario
from sd_model.scenario.schedule import Schedule

__all__ = [
    "CASES",
    "STANDARD_STRESS",
    "StressTest",
    "party_rows",
    "standard_stress_words",
    "stress_test",
    "year_ends",
]

#: The two runs of a stress test.
CASES = ("base", "stress")

#: The standard stress (the report's loop section, ``gwplan stress --standard``):
#: a demand shortfall and a financing freeze together, from 2027Q1 on. Revenue per
#: GW 40 % below plan (the investor's question of issue 20); no new debt (the
#: credit line shrinks to what is drawn, nothing is called back); no new vendor
#: financing. An assumption, not a forecast: the size and date are the question's;
#: the lab's equity rounds (``financing.external_funding_busd_by_year``, not a
#: shock key) still come, as in the ``funding_bear`` variant they do not.
STANDARD_STRESS: tuple[str, ...] = (
    "demand.revenue_busd_per_gw_year_at_start=x0.6@2027Q1",
    "financing.debt_capacity_busd=0@2027Q1",
    "vendors.*.financing_busd_per_gw=0@2027Q1",
)


def standard_stress_words() -> str:
    """The standard stress in words, for pages and help texts."""
    return (
        "from 2027Q1, revenue per GW 40 % below plan (a demand shortfall) together with "
        "a financing freeze: no new debt and no new vendor financing"
    )


@dataclass(frozen=True)
class StressTest:
    """The base and the shocked run of a scenario, and the tables that compare them.

    Attributes
    ----------
    scenario : Scenario
        The scenario run.
    shocks : tuple of Shock
        What the stressed run changes.
    runs : dict
        ``"base"`` and ``"stress"`` -> the simulation result (counterparty loop on).
    """

    scenario: Scenario
    shocks: tuple[Shock, ...]
    runs: dict[str, pd.DataFrame]

    def parties(self) -> pd.DataFrame:
        """Per case, party and period: the loop's state (long format).

        Columns ``case``, ``party``, ``kind`` (lab, lessor, vendor), ``period``,
        ``revenue_from_lab_busd`` (a lessor's receipts, a vendor's sales;
        $B/period), ``missed_busd`` (lease payments the lab missed, to a
        lessor or in all; $B/period), ``arrears_busd``, ``liquidity_busd``,
        ``breach`` (below the covenant; for the lab: paying less than due),
        ``value_busd`` (equity value; NaN where unknown) and
        ``value_change_busd`` (against the base case at that period).
        """
        frames = [party_rows(case, run, self.scenario) for case, run in self.runs.items()]
        table = pd.concat(frames, ignore_index=True)
        base = table[table["case"] == "base"].set_index(["party", "period"])["value_busd"]
        keys = pd.MultiIndex.from_frame(table[["party", "period"]])
        table["value_change_busd"] = table["value_busd"].to_numpy() - base.reindex(keys).to_numpy()
        return table

    def first_breach(self, case: str = "stress") -> tuple[str, str] | None:
        """The first party to breach its threshold in ``case`` and the period, or None.

        The lab breaches when it pays less than the lease payments due; a lessor
        or vendor when its liquidity falls below its covenant. Ties go to the lab.
        """
        rows = self.parties()
        hit = rows[(rows["case"] == case) & rows["breach"]]
        if hit.empty:
            return None
        hit = hit.assign(lab_first=hit["party"] != LAB).sort_values(["period", "lab_first"])
        first = hit.iloc[0]
        return str(first["party"]), str(first["period"])

    def holdings(self) -> pd.DataFrame:
        """Per period, the value of each warrant and stake in both cases and what is lost.

        Columns ``holder``, ``company``, ``instrument`` (warrant, stake),
        ``period``, ``base_busd``, ``stress_busd``, ``lost_busd`` (base - stress).
        """
        parts = []
        for case, run in self.runs.items():
            parts.append(_holding_rows(run, self.scenario).assign(case=case))
        both = pd.concat(parts, ignore_index=True)
        keys = ["holder", "company", "instrument", "period"]
        table = both.pivot_table(index=keys, columns="case", values="value_busd", sort=False)
        table = table.rename(columns={c: f"{c}_busd" for c in CASES}).reset_index()
        table["lost_busd"] = table["base_busd"] - table["stress_busd"]
        table.columns.name = None
        return table

    def summary(self) -> pd.DataFrame:
        """One row per party: first breach in each case, lease payments missed, liquidity, value.

        Columns ``party``, ``kind``, ``first_breach_base``, ``first_breach_stress``
        (period or ""), ``missed_base_busd``, ``missed_stress_busd`` (over the
        horizon), ``min_liquidity_stress_busd``, ``value_change_end_busd``
        (stress - base at the last period; NaN where the value is unknown).
        """
        rows = self.parties()
        out = []
        for (party, kind), group in rows.groupby(["party", "kind"], sort=False):
            cases = {case: group[group["case"] == case] for case in CASES}
            stress = cases["stress"]
            out.append(
                {
                    "party": party,
                    "kind": kind,
                    **{f"first_breach_{c}": _first(cases[c]) for c in CASES},
                    **{f"missed_{c}_busd": float(cases[c]["missed_busd"].sum()) for c in CASES},
                    "min_liquidity_stress_busd": float(stress["liquidity_busd"].min(skipna=False)),
                    "value_change_end_busd": float(stress["value_change_busd"].iloc[-1]),
                }
            )
        return pd.DataFrame(out)

    def buildout(self) -> pd.DataFrame:
        """Per period, GW delivered and energized and cash in both cases (does it stall?)."""
        columns = {
            "delivered_cum_gw": "delivered_gw",
            "energized_total_gw": "energized_gw",
            "leased_total_gw": "leased_gw",
            "revenue_busd_per_period": "revenue_busd",
            "cash_busd": "cash_busd",
        }
        parts = {}
        for case, full in self.runs.items():
            run = _flows(full)
            frame = pd.DataFrame({"period": run["period"].to_numpy()})
            for name, label in columns.items():
                frame[f"{label}_{case}"] = _total(run, name)
            parts[case] = frame.set_index("period")
        return pd.concat(parts.values(), axis=1).reset_index()


def stress_test(
    scenario: Scenario,
    shocks: Sequence[Shock | str],
    *,
    schedule: Schedule | None = None,
    dt_periods: float = 0.25,
) -> StressTest:
    """Run ``scenario`` with and without ``shocks``, the counterparty loop on in both.

    Parameters
    ----------
    scenario : Scenario
        Its ``counterparties.csv`` gives the balance sheets (parties without a
        row have none: they never breach).
    shocks : sequence of Shock or str
        ``KEY=VALUE@PERIOD`` or ``KEY=xFACTOR@PERIOD`` (see
        :mod:`sd_model.buildout.shocks`), e.g.
        ``"demand.revenue_busd_per_gw_year_at_start=x0.6@2027Q1"``.
    schedule : Schedule, optional
        Deliveries; default the scenario's announced schedule.
    dt_periods : float
        Integration step [periods] (see :func:`sd_model.simulate`).

    Raises
    ------
    ValueError
        If a shock is malformed, names no parameter of the model, or its period
        is not on the simulated horizon.
    """
    parsed = tuple(s if isinstance(s, Shock) else parse_shock(s) for s in shocks)
    runs = {
        case: simulate(
            scenario, schedule, counterparty_loop=True, shocks=chosen, dt_periods=dt_periods
        )
        for case, chosen in (("base", ()), ("stress", parsed))
    }
    return StressTest(scenario, parsed, runs)


def year_ends(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` at the last period of each year (by its ``period`` column)."""
    years = table["period"].astype(str).str[:4]
    last = table.groupby(years)["period"].transform("max")
    return table[table["period"] == last].reset_index(drop=True)


def _first(rows: pd.DataFrame) -> str:
    hit = rows.loc[rows["breach"], "period"]
    return str(hit.min()) if not hit.empty else ""


def _flows(run: pd.DataFrame) -> pd.DataFrame:
    """The rows whose flows lie inside the horizon (the last row is the end boundary)."""
    return run.iloc[:-1]


def _total(run: pd.DataFrame, name: str) -> np.ndarray:
    cols = [c for c in run.columns if c == name or c.startswith(f"{name}[")]
    if not cols:
        return np.zeros(len(run))
    values: np.ndarray = run[cols].to_numpy(dtype=np.float64).sum(axis=1)
    return values


def _column(run: pd.DataFrame, name: str, element: str) -> np.ndarray:
    key = f"{name}[{element}]"
    if key in run.columns:
        values: np.ndarray = run[key].to_numpy(dtype=np.float64)
        return values
    return np.full(len(run), np.nan)


def party_rows(case: str, run: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """One row per party and period of one run."""
    run = _flows(run)
    periods = run["period"].to_numpy()
    n = len(run)
    missed = _total(run, "lab_missed_busd_per_period")
    share = run["lab_payment_share"].to_numpy(dtype=np.float64)
    lab = {
        "party": LAB,
        "kind": "lab",
        "revenue_from_lab_busd": np.full(n, np.nan),
        "missed_busd": missed,
        "arrears_busd": _total(run, "lessor_arrears_busd"),
        "liquidity_busd": run["liquidity_busd"].to_numpy(dtype=np.float64),
        "breach": share < 1.0 - 1e-9,
        "value_busd": _known_value(run, scenario, "lab", LAB),
    }
    rows = [pd.DataFrame({"period": periods, **lab})]
    for lessor in scenario.lessors:
        i = lessor.id
        rows.append(
            pd.DataFrame(
                {
                    "period": periods,
                    "party": i,
                    "kind": "lessor",
                    "revenue_from_lab_busd": _column(run, "lessor_received_busd_per_period", i),
                    "missed_busd": _column(run, "lessor_missed_busd_per_period", i),
                    "arrears_busd": _column(run, "lessor_arrears_busd", i),
                    "liquidity_busd": _booked(run, scenario, "lessor_liquidity_busd", i),
                    "breach": _column(run, "lessor_breach", i) > 0.5,
                    "value_busd": _known_value(run, scenario, "lessor", i),
                }
            )
        )
    for vendor in scenario.vendors:
        i = vendor.id
        rows.append(
            pd.DataFrame(
                {
                    "period": periods,
                    "party": i,
                    "kind": "vendor",
                    "revenue_from_lab_busd": _column(run, "vendor_sales_busd_per_period", i),
                    "missed_busd": np.zeros(n),
                    "arrears_busd": np.zeros(n),
                    "liquidity_busd": _booked(run, scenario, "vendor_liquidity_busd", i),
                    "breach": _column(run, "vendor_breach", i) > 0.5,
                    "value_busd": _known_value(run, scenario, "vendor", i),
                }
            )
        )
    table = pd.concat(rows, ignore_index=True)
    table.insert(0, "case", case)
    return table


def _booked(run: pd.DataFrame, scenario: Scenario, name: str, party: str) -> np.ndarray:
    """``name[party]``, NaN for a party without a row in ``counterparties.csv``."""
    if any(r.id == party for r in scenario.counterparties):
        return _column(run, name, party)
    return np.full(len(run), np.nan)


def _known_value(run: pd.DataFrame, scenario: Scenario, kind: str, party: str) -> np.ndarray:
    """The party's equity value, NaN where ``counterparties.csv`` gives none."""
    row = next((r for r in scenario.counterparties if r.id == party), None)
    if kind == "lab":
        values = run["lab_equity_value_busd"].to_numpy(dtype=np.float64)
    else:
        values = _column(run, f"{kind}_equity_value_busd", party)
    if row is None or row.equity_value_busd_at_start is None:
        return np.full(len(values), np.nan)
    return values


def _holding_rows(run: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The lab's warrants and every equity stake, valued per period of one run."""
    run = _flows(run)
    periods = run["period"].to_numpy()
    rows = []
    for vendor in scenario.vendors:
        if vendor.id == INSTALLED or vendor.warrant_shares_million <= 0:
            continue
        value = _column(run, "warrant_value_busd", vendor.id)
        rows.append(_holding(LAB, vendor.id, "warrant", periods, value))
    lessors = {lessor.id for lessor in scenario.lessors}
    for stake in scenario.equity_stakes:
        kind = "lab" if stake.company == LAB else "lessor" if stake.company in lessors else "vendor"
        company = _known_value(run, scenario, kind, stake.company)
        rows.append(_holding(stake.holder, stake.company, "stake", periods, stake.share * company))
    if not rows:
        columns = ["holder", "company", "instrument", "period", "value_busd"]
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)


def _holding(
    holder: str, company: str, instrument: str, periods: np.ndarray, value: np.ndarray
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "holder": holder,
            "company": company,
            "instrument": instrument,
            "period": periods,
            "value_busd": value,
        }
    )
