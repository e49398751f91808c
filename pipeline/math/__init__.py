"""Formulas as GitHub writes them: TeX read by pandoc (texmath), drawn for print by Typst."""
