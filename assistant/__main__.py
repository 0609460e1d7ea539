"""`python -m assistant` is the same as the `assistant` console script."""

from assistant.interfaces.cli import main

raise SystemExit(main())
