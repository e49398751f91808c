"""Reproducible outputs: SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/)
stands for "now" wherever a file would carry a build time, and zip archives get fixed entry
times, so the same inputs give the same bytes."""

from __future__ import annotations

import datetime as dt

from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import UsageError

ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest time zip can store


def parse_epoch(value: str) -> int:
    value = value.strip()
    if not value.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
    return int(value)


def epoch(options=None) -> int | None:
    """Seconds since 1970 to use as the build time, or None for the real time.
    The options' value wins over the SOURCE_DATE_EPOCH environment variable."""
    value = getattr(options, "source_date_epoch", None)
    if value is not None:
        return int(value)
    env = settings.env("SOURCE_DATE_EPOCH")
    return parse_epoch(env) if env else None


def when(options=None) -> dt.datetime | None:
    """The fixed build time as an aware UTC datetime, or None."""
    seconds = epoch(options)
    if seconds is None:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def now(options=None) -> dt.datetime:
    """The fixed build time when there is one, else the current time (UTC)."""
    return when(options) or dt.datetime.now(dt.UTC).replace(microsecond=0)
