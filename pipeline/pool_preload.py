"""Imported once by the process workers are forked from (pool.py): everything a conversion
needs, so no worker pays for the imports and all of them share this memory."""

import gc

from epdoc import filters
from epdoc.pipeline import build, writers

writers.discover()
filters.discover()
build.Builder  # noqa: B018 - imported for the workers
gc.freeze()  # imported modules live as long as the process: keep them out of collections
