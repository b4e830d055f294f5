"""LP components, one concern per module, each with ``add(m, data)``.

`optimization.lp.model.COMPONENTS` lists them in the order `build_model` calls
them. Each module declares its sets, parameters, variables and constraints
on the model and registers its per-period cost terms with
`optimization.lp.components.sets.register_cost`; the objective component sums
the registered terms with discount factors. The maths of every constraint is
in its module's docstring.
"""
