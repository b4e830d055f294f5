import pytest
from pydantic import ValidationError

from sd_model.scenario.periods import PeriodGrid, format_period, parse_period


def test_quarter_labels_round_trip() -> None:
    for label in ("2026Q1", "2026Q4", "2031Q2"):
        assert format_period(parse_period(label, "quarter"), "quarter") == label


def test_month_grid_counts_and_years() -> None:
    grid = PeriodGrid(
        frequency="month", start_period="2026-11", lp_end_period="2027-02", sd_end_period="2027-12"
    )
    assert grid.labels("lp") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert grid.count("sd") == 14
    assert grid.years("lp") == [2026, 2027]
    assert grid.periods_from_quarters(2) == 6


def test_index_rejects_labels_off_the_grid_or_horizon() -> None:
    grid = PeriodGrid(start_period="2026Q1", lp_end_period="2026Q4", sd_end_period="2027Q4")
    assert grid.index("2027Q4") == 7
    with pytest.raises(ValueError, match="from 2026Q1 to 2026Q4"):
        grid.index("2027Q1", "lp")
    with pytest.raises(ValueError, match="from 2026Q1 to 2027Q4"):
        grid.index("2025Q4")
    with pytest.raises(ValueError, match="quarter label like '2026Q3'"):
        grid.index("2026-03")


def test_grid_rejects_unordered_horizons() -> None:
    with pytest.raises(ValidationError, match="start_period <= lp_end_period"):
        PeriodGrid(start_period="2027Q1", lp_end_period="2026Q4", sd_end_period="2027Q4")


def test_lead_time_in_quarters_rounds_up_to_whole_periods() -> None:
    grid = PeriodGrid(start_period="2026Q1", lp_end_period="2026Q4", sd_end_period="2027Q4")
    assert grid.periods_from_quarters(3) == 3
    assert grid.periods_from_quarters(0) == 0
