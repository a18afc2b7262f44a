"""Decision study: how reliability grows with the number of raters averaged (Spearman-Brown).

Spearman (1910) and Brown (1910): the reliability of the mean of ``k`` parallel ratings whose
single-rating reliability is ``r1`` is ``k r1 / (1 + (k - 1) r1)``. Use the single-rater ICC
that matches the decision: ICC2 (ICC(A,1)) when trainees are scored by different random
raters on an absolute scale, ICC3 (ICC(C,1)) when the same fixed panel rates everyone.
"""

from __future__ import annotations

import math


def spearman_brown(r1: float, k: float) -> float:
    """Reliability of the mean of ``k`` raters, given single-rater reliability ``r1``.

    Parameters
    ----------
    r1 : float
        Single-rater reliability, at most 1.
    k : float
        Number of raters averaged (positive; fractional values give the prophecy curve).

    Returns
    -------
    float

    References
    ----------
    Spearman, C. (1910). Correlation calculated from faulty data. *British Journal of
    Psychology*, 3, 271-295. Brown, W. (1910). Some experimental results in the correlation of
    mental abilities. *British Journal of Psychology*, 3, 296-322.

    Examples
    --------
    Two raters of single-rater reliability .50 average to .67:

    >>> round(spearman_brown(0.5, 2), 4)
    0.6667
    """
    if not r1 <= 1.0:
        raise ValueError(f"single-rater reliability must be at most 1, got {r1}")
    if not k > 0:
        raise ValueError(f"number of raters must be positive, got {k}")
    return k * r1 / (1.0 + (k - 1.0) * r1)


def raters_needed(r1: float, target: float) -> int | None:
    """Smallest number of raters whose mean reaches reliability ``target``.

    Inverts Spearman-Brown: ``k = target (1 - r1) / (r1 (1 - target))``, rounded up.

    Parameters
    ----------
    r1 : float
        Single-rater reliability, at most 1.
    target : float
        Wanted reliability, strictly between 0 and 1.

    Returns
    -------
    int or None
        At least 1; None when ``r1 <= 0``, since averaging raters cannot then reach any
        positive target.

    References
    ----------
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin*, 86, 420-428 (the decision-study use of the formula).

    Examples
    --------
    From .50 for one rater, four raters reach .80 (``0.8 * 0.5 / (0.5 * 0.2) = 4``):

    >>> raters_needed(0.5, 0.8)
    4
    >>> raters_needed(0.0, 0.8) is None
    True
    """
    if not 0.0 < target < 1.0:
        raise ValueError(f"target reliability must be strictly between 0 and 1, got {target}")
    if not r1 <= 1.0:
        raise ValueError(f"single-rater reliability must be at most 1, got {r1}")
    if r1 <= 0.0:
        return None
    if r1 >= target:
        return 1
    k = target * (1.0 - r1) / (r1 * (1.0 - target))
    return max(1, math.ceil(k - 1e-9))
