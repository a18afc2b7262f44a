"""Published worked examples as long ratings, for docstrings, notebooks and tests."""

from __future__ import annotations

import pandas as pd

SHROUT_FLEISS_1979 = (
    (9, 2, 5, 8),
    (6, 1, 3, 2),
    (8, 4, 6, 8),
    (7, 1, 2, 6),
    (10, 5, 6, 9),
    (6, 2, 4, 7),
)


def shrout_fleiss_1979() -> pd.DataFrame:
    """Six targets rated by four judges (Shrout & Fleiss 1979, Table 2) as long ratings.

    Units are 0-5, raters 0-3; the published ICCs are .17, .29, .71, .44, .62 and .91.
    """
    cells = [(u, j, s) for u, row in enumerate(SHROUT_FLEISS_1979) for j, s in enumerate(row)]
    return pd.DataFrame(cells, columns=["unit", "rater", "score"])
