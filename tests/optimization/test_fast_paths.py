"""The re-solve fast paths agree with Pyomo's own (slower) walks."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
from pyomo.core.expr.visitor import identify_mutable_parameters

from optimization import PlanningModel
from optimization.lp.extraction import _evaluate
from optimization.lp.layout import frame_layout as _layout
from optimization.solver.compile import _params_in
from sd_model import load_scenario


@pytest.fixture(scope="module")
def solved() -> PlanningModel:
    model = PlanningModel(load_scenario("tests/scenarios/tiny"))
    model.solve()
    return model


def test_params_in_matches_pyomo(solved: PlanningModel) -> None:
    memo: dict[int, set[int]] = {}
    for con in solved.model.component_data_objects(pyo.Constraint, active=True):
        expected = {id(p) for p in identify_mutable_parameters(con.expr)}
        assert _params_in(con.expr, memo) == expected, con.name


def test_evaluate_matches_pyomo_value(solved: PlanningModel) -> None:
    layout = _layout(solved.model, solved.data)
    exprs = [e for _, _, group in layout.cost_exprs for e in group]
    assert exprs
    assert [_evaluate(e) for e in exprs] == [float(pyo.value(e)) for e in exprs]
