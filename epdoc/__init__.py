"""epdoc: Enhancement Proposals to HTML, PDF and DOCX."""

__version__ = "0.1.0"
