"""The report's section "The circular loop under stress": the standard stress against the base.

When the scenario gives counterparties balance sheets (``counterparties.csv``),
`loop_section` runs `sd_model.stress.stress_test` once, with the standard stress
(`sd_model.stress.STANDARD_STRESS`): two simulations of the announced schedule
with the counterparty loop on, as is (base) and shocked. Every number the
section shows is read from that `StressTest` (the same tables `gwplan stress`
prints): the first party to breach and when, the lease payments the lab misses,
the warrant and stake value lost, the hardware delivered by the end of 2030
(or of the horizon, if earlier), and a figure of each party's liquidity.
Without balance sheets `loop_absence` says why there is no section.

Examples
--------
>>> import sd_model
>>> section = loop_section(sd_model.load_scenario("cloud_leases"))
>>> section.answer.first_counterparty["stress"]
('oracle', '2027Q3')
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from optimization.report.stress_figures import liquidity_figure
from optimization.report.style import png_bytes
from sd_model.scenario.counterparties import LAB
from sd_model.scenario.definition import Scenario
from sd_model.stress import (
    CASES,
    STANDARD_STRESS,
    StressTest,
    standard_stress_words,
    stress_test,
    year_ends,
)

__all__ = [
    "LoopAnswer",
    "LoopSection",
    "loop_absence",
    "loop_answer",
    "loop_html",
    "loop_markdown",
    "loop_or_reason",
    "loop_section",
]

#: The year whose end the section reads holdings and deliveries at (the last
#: year of the vendors' announced deals, FIGURES A1); earlier if the horizon ends first.
ANSWER_YEAR = 2030

#: ``(party, period)`` of a breach, or None.
Breach = tuple[str, str] | None


@dataclass(frozen=True)
class LoopAnswer:
    """The numbers of the section, each read from the stress test's tables.

    Attributes
    ----------
    first_breach, first_counterparty : dict
        Per case (``base``, ``stress``): the first party to breach (the lab
        breaches when it pays less than due) and the first lessor or vendor to
        fall below its covenant, as ``(party, period)`` or None.
    missed_busd : dict
        Per case: lease payments the lab missed over the horizon [$B].
    holdings : pandas.DataFrame
        At ``period``: ``holder``, ``company``, ``instrument``, ``base_busd``,
        ``stress_busd``, ``lost_busd`` [$B].
    delivered_gw : dict
        Per case: hardware delivered (cumulative) at ``period`` [GW IT].
    period : str
        The period holdings and deliveries are read at.
    """

    first_breach: dict[str, Breach]
    first_counterparty: dict[str, Breach]
    missed_busd: dict[str, float]
    holdings: pd.DataFrame
    delivered_gw: dict[str, float]
    period: str


@dataclass(frozen=True)
class LoopSection:
    """The section, ready to show: sentences, two text tables, a figure, CSVs."""

    shocks: tuple[str, ...]
    intro: str
    answer: LoopAnswer
    sentences: tuple[str, ...]
    parties: pd.DataFrame
    figure: bytes
    caption: str
    test: StressTest

    def tables(self) -> dict[str, pd.DataFrame]:
        """CSV name -> table, for the report's ``tables/`` folder."""
        return {
            "loop_parties.csv": self.test.parties(),
            "loop_summary.csv": self.test.summary(),
            "loop_holdings.csv": self.test.holdings(),
            "loop_buildout.csv": self.test.buildout(),
        }


def loop_absence(scenario: Scenario | None) -> str | None:
    """Why the report has no loop section, or None when it has one."""
    if scenario is None:
        return "The loop under stress needs the scenario; this report was written without it."
    if not any(row.id != LAB for row in scenario.counterparties):
        return (
            "The scenario gives no lessor or vendor a balance sheet (no counterparties.csv), "
            "so the loop under stress is not run; see docs/buildout.md, "
            '"Counterparties under stress".'
        )
    return None


def loop_or_reason(
    scenario: Scenario | None, shocks: Sequence[str] = STANDARD_STRESS
) -> tuple[LoopSection | None, str]:
    """The section under ``shocks``, or None and the sentence saying why not."""
    absent = loop_absence(scenario)
    if absent is not None or scenario is None:
        return None, absent or ""
    try:
        return loop_section(scenario, shocks), ""
    except ValueError as error:  # e.g. the stress's period is off the horizon
        return None, f"The stress does not apply to this scenario: {error}."


def loop_answer(test: StressTest, year: int = ANSWER_YEAR) -> LoopAnswer:
    """The section's numbers from a stress test, at the end of ``year`` (or of the horizon)."""
    summary = test.summary()
    lab = summary[summary["party"] == LAB].iloc[0]
    others = summary[summary["party"] != LAB]
    buildout = year_ends(test.buildout())
    periods = buildout["period"].astype(str)
    chosen = periods[periods.str[:4].astype(int) <= year]
    period = str(chosen.iloc[-1] if not chosen.empty else periods.iloc[-1])
    row = buildout[periods == period].iloc[0]
    holdings = test.holdings()
    holdings = holdings[holdings["period"] == period].drop(columns="period")
    return LoopAnswer(
        first_breach={case: test.first_breach(case) for case in CASES},
        first_counterparty={case: _first(others, case) for case in CASES},
        missed_busd={case: float(lab[f"missed_{case}_busd"]) for case in CASES},
        holdings=holdings.reset_index(drop=True),
        delivered_gw={case: float(row[f"delivered_gw_{case}"]) for case in CASES},
        period=period,
    )


def loop_section(
    scenario: Scenario, shocks: Sequence[str] = STANDARD_STRESS, year: int = ANSWER_YEAR
) -> LoopSection:
    """Run the stress test (two simulations) and build the section from it.

    Raises
    ------
    ValueError
        If a shock does not apply to the scenario (e.g. its period is off the horizon).
    """
    test = stress_test(scenario, list(shocks))
    answer = loop_answer(test, year)
    parties = ", ".join(row.id for row in scenario.counterparties if row.id != LAB)
    standard = tuple(shocks) == STANDARD_STRESS
    stress = standard_stress_words() if standard else ", ".join(shocks)
    command = f"gwplan stress {scenario.name} " + (
        "--standard" if standard else " ".join(f'--shock "{s}"' for s in shocks)
    )
    intro = (
        f"The announced schedule simulated with the counterparties' balance sheets in the "
        f"loop ({parties}; counterparties.csv, rules in docs/buildout.md, 'Counterparties "
        f"under stress'), as is (base) and under the standard stress: {stress}. The same "
        f"two runs as `{command}`."
    )
    caption = (
        "Liquidity of each party with a balance sheet, stress (solid) against base (dashed), "
        "a dot at its first breach; right: the warrants and stakes."
    )
    return LoopSection(
        shocks=tuple(shocks),
        intro=intro,
        answer=answer,
        sentences=tuple(_sentences(answer, test)),
        parties=_party_table(test),
        figure=png_bytes(liquidity_figure(test, _figure_title(scenario.name, standard))),
        caption=caption,
        test=test,
    )


def _figure_title(name: str, standard: bool) -> str:
    stress = "the standard stress" if standard else "the stress"
    return f"{name}: the counterparties under {stress} (solid) and in the base (dashed)"


def _first(summary: pd.DataFrame, case: str) -> Breach:
    hit = summary[summary[f"first_breach_{case}"] != ""]
    if hit.empty:
        return None
    first = hit.sort_values(f"first_breach_{case}", kind="stable").iloc[0]
    return str(first["party"]), str(first[f"first_breach_{case}"])


def _who(breach: Breach) -> str:
    if breach is None:
        return "nobody"
    party, period = breach
    if party == LAB:
        return f"the lab, which pays less than its lease payments due from {period}"
    return f"{party}, below its liquidity covenant from {period}"


def _party(party: str) -> str:
    return "the lab" if party == LAB else party


def _money(value: float) -> str:
    return f"${value:,.1f}B".replace("$-", "−$")


def _sentences(answer: LoopAnswer, test: StressTest) -> list[str]:
    """The answers in words; long because each line reads one number of the answer."""
    first, other = answer.first_breach, answer.first_counterparty
    lines = [
        f"First to breach under the stress: {_who(first['stress'])} (base: {_who(first['base'])}).",
        f"First lessor or vendor to breach: {_who(other['stress'])} (base: {_who(other['base'])}).",
    ]
    missed = answer.missed_busd
    periods = test.runs["base"]["period"].astype(str)
    span = f"{periods.iloc[0]} to {periods.iloc[-2]}"
    text = (
        f"Lease payments the lab misses, {span}: {_money(missed['stress'])} under the stress "
        f"against {_money(missed['base'])} in the base"
    )
    if missed["stress"] < missed["base"] - 0.05 and other["stress"] is not None:
        text += (
            " — fewer, because a lessor in breach withholds capacity and is owed only "
            "for what it supplies"
        )
    lines.append(text + ".")
    lost = [
        f"{_party(str(r['holder']))}'s {r['instrument']} in {_party(str(r['company']))} "
        f"{_money(float(r['lost_busd']))} "
        f"(of {_money(float(r['base_busd']))})"
        for r in answer.holdings.to_dict(orient="records")
        if np.isfinite(float(r["lost_busd"]))
    ]
    if lost:
        lines.append(f"Warrant and stake value lost at {answer.period}: " + "; ".join(lost) + ".")
    base, stress = answer.delivered_gw["base"], answer.delivered_gw["stress"]
    change = f"{100 * (stress / base - 1):+.0f} %".replace("-", "−") if base > 0 else "—"
    lines.append(
        f"Hardware delivered by {answer.period}: {stress:.2f} GW under the stress against "
        f"{base:.2f} GW in the base ({change}); "
        + (
            "the build-out slows to what the lab can pay for."
            if stress < base - 0.005
            else "the build-out keeps its pace."
        )
    )
    return lines


def _party_table(test: StressTest) -> pd.DataFrame:
    """The per-party summary as text: the lab, every lessor, every party with a balance sheet."""
    summary = test.summary()
    booked = {row.id for row in test.scenario.counterparties}
    keep = (summary["kind"] != "vendor") | summary["party"].isin(booked)
    rows = summary[keep]

    def money(values: pd.Series) -> list[str]:
        return ["—" if not np.isfinite(v) else f"{v:,.1f}" for v in values.astype(float)]

    return pd.DataFrame(
        {
            "party": rows["party"],
            "kind": rows["kind"],
            "first breach (base)": rows["first_breach_base"].replace("", "—"),
            "first breach (stress)": rows["first_breach_stress"].replace("", "—"),
            "missed, base [$B]": money(rows["missed_base_busd"]),
            "missed, stress [$B]": money(rows["missed_stress_busd"]),
            "lowest liquidity, stress [$B]": money(rows["min_liquidity_stress_busd"]),
            "value change at the end [$B]": money(rows["value_change_end_busd"]),
        }
    ).reset_index(drop=True)


#: The section's figure in the report folder.
FIGURE_FILE = "figures/loop_liquidity.png"

#: The section's heading.
TITLE = "The circular loop under stress"


def loop_markdown(
    section: LoopSection | None, absence: str, render: Callable[[pd.DataFrame], str]
) -> list[str]:
    """The section as Markdown lines (only the reason when there is no section)."""
    if section is None:
        return [f"## {TITLE}", "", absence, ""] if absence else []
    lines = [f"## {TITLE}", "", section.intro, ""]
    lines += [*[f"- {text}" for text in section.sentences], ""]
    lines += [render(section.parties), ""]
    return [*lines, f"![{section.caption}]({FIGURE_FILE})", "", f"*{section.caption}*", ""]


def loop_html(
    section: LoopSection | None, absence: str, render: Callable[[pd.DataFrame], str]
) -> list[str]:
    """The section as HTML fragments (only the reason when there is no section)."""
    heading = f'<h2 id="loop">{escape(TITLE)}</h2>'
    if section is None:
        return [heading, f"<p>{escape(absence)}</p>"] if absence else []
    items = "".join(f"<li>{escape(text)}</li>" for text in section.sentences)
    data = base64.b64encode(section.figure).decode("ascii")
    return [
        heading,
        f"<p>{escape(section.intro)}</p>",
        f"<ul>{items}</ul>",
        render(section.parties),
        f'<figure><img alt="{escape(section.caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{escape(section.caption)}</figcaption></figure>",
    ]
