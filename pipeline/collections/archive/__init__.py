"""The archive of approved proposals: append-only, verifiable, reproducible.

    DIR/
      SHA256SUMS              every archived file (sha256sum -c SHA256SUMS checks them too)
      index.html, index.json  every proposal and version, rebuilt on each run
      EP-001/2025-09-03/      one version: never modified, never deleted
        EP-001-x.pdf          PDF/A-3b, the markdown and its images attached (relationship Source)
        EP-001-x.html         self-contained: styles, fonts, images and diagrams inlined
        EP-001-x.docx
        source/EP-001-x.md    the source files as they were (images keep their folders)
        manifest.json         record, SHA-256 and size of every file, tool versions, provenance

A version is named after the proposal's `updated` (else `created`) date, with `.2`, `.3` ...
when the same date carries different content. The outputs are built with SOURCE_DATE_EPOCH
(the variable when set, else midnight UTC of that date), so anyone can rebuild them from the
source and get the same bytes.

By concern: `store.py` writes versions, `sums.py` keeps SHA256SUMS, `provenance.py` says
where a source came from, `statuses.py` which proposals are archived, `page.py` the
archive's own index, `verify.py` checks it all.
"""
