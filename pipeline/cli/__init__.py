"""The command line: `epdoc` and its subcommands (commands/, found by discovery), the
arguments they share (arguments.py). The top of the house: it imports every stage below."""
