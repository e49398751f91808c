"""The ground floor, imported by every stage and importing none: errors and their one-line
form, options, every default, limit and environment variable (settings.py), the record,
diagnostics, paths, names, atomic writes, git."""
