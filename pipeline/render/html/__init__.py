"""HTML: the page (page.py, shared with the PDF), the writer, pictures copied beside it,
the self-contained form (inline.py), and the fix-ups HTML and PDF make to their AST copy."""
