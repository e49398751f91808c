"""Subcommands of `epdoc`, found by discovery: each module sets NAME, HELP, POSITION,
add_arguments(parser) and run(args), and imports what it converts with only inside run(), so
that `epdoc --help` and each command load no more than they use."""
