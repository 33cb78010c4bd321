"""The report module: typed, parameterized queries over the marts (no HTTP in here).

A pack adds its reports by adding a module under `packs/` that declares its metrics; the query
builders (timeseries, funnel, top-N, SLA percentiles, cohorts) are shared and never change.
"""
