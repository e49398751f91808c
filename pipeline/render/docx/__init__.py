"""DOCX: pandoc with a reference document generated from the theme, then page layout,
GitHub features and the fix-ups DOCX makes to its AST copy."""
