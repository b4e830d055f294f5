"""LP and simulation together: fixed point, rolling horizon, and the comparison of cases."""
