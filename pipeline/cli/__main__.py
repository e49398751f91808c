"""`python -m epdoc.pipeline.cli`: the epdoc command."""

from epdoc.pipeline.cli.main import main

raise SystemExit(main())
