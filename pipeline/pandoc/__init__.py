"""Running pandoc (the binary pypandoc-binary ships): one-shot runs with limits (runner.py)
and one long-lived pandoc per worker (server.py, worker.lua)."""
