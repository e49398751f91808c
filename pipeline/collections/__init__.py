"""Many proposals as one thing: the index (PEP 0 of a project), the review packet (one PDF)
and the archive (append-only, verifiable)."""
