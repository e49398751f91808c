"""Mermaid diagrams drawn without a browser (draw.py, in a child process: worker.py) and
turned into pictures for each format (pictures.py)."""

# here, not in pictures.py, so that the filter finds the fences without importing how
# they are drawn (most proposals have none)
MARK = "epdoc-mermaid"  # the Div the filter wraps each fence in
LANGS = {"mermaid", "mmd"}
