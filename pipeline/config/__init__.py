"""Configuration: the theme in styles/ (tokens, CSS, page box, fonts) and the project's
epdoc.toml / pyproject.toml (one loader)."""
