"""`python -m ipt_fidelity ...`: the same CLI as the `ipt-fidelity` console script."""

from .cli import main

raise SystemExit(main())
