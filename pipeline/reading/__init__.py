"""Reading a proposal: finding sources, reading them safely (encodings, limits), the nesting
limit, source positions, and the Document (parsed once, filtered in-process)."""
