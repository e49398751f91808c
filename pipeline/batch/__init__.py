"""Converting many proposals in CI: the run (run.py), worker processes (pool.py), the cache
of what is up to date, diagrams drawn ahead, selection (--changed-since, --shard) and what
the run reports."""
