"""PDF: the HTML page plus print CSS laid out by WeasyPrint with the theme's fonts only;
print layout marks, cheap code for layout, PDF/A and attachments."""
