"""What an untrusted proposal may bring: the picture policy (pictures.py), SVG scrubbing,
HTML sanitizing, what WeasyPrint may fetch and what goes into a DOCX."""
