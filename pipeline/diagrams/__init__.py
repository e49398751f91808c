"""Mermaid diagrams drawn without a browser (draw.py, in a child process: worker.py) and
turned into pictures for each format (pictures.py)."""
