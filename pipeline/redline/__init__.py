"""Redlines: what changed in a proposal since a git revision (or an older file), computed on
the normalized AST at word level (`diff.py`), read from git (`history.py`), shown in every
format (`present.py`: HTML ins/del, PDF change bars, DOCX tracked changes) by `run.py`."""
