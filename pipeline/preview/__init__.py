"""epdoc preview: the proposals as reviewers will see them, rebuilt on each save.

`site.py` holds the proposals, builds them with the pipeline's Builder and keeps each one's
last good output, error and findings; `pages.py` makes what the browser gets (the page with
its findings panel and reload script, the index, the PDF view); `server.py` serves them on
127.0.0.1 only, and nothing outside the output folder; `watch.py` rebuilds on save.
"""
