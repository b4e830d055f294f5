"""The linear program: its data view, components, model, plan, diagnosis and entry points."""
