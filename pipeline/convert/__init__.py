"""Converting one proposal: read once, written to every format asked for, checked by lint;
any failure is a one-line message in its Result."""
