"""A fixed additive cycle per series, removed before windowing (CycleNet style).

The profile of a series is the mean of its training values at each phase
(position modulo ``cycle_length``, counted from the first observation), so the
network forecasts what the cycle does not explain. CycleNet (Lin et al., 2024)
learns such a table jointly with the network; here it is fixed to the phase
means of the training values, computed once before training.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cycle_profile", "profile_at"]


def cycle_profile(values: np.ndarray, cycle_length: int) -> np.ndarray:
    """Mean of ``values`` at each phase of a cycle of ``cycle_length`` steps.

    Parameters
    ----------
    values : ndarray of shape (n, k)
        Training values; position 0 has phase 0. Needs ``n >= cycle_length``.
    cycle_length : int

    Returns
    -------
    ndarray of shape (cycle_length, k)

    Examples
    --------
    >>> cycle_profile(np.array([[1.0], [5.0], [3.0], [7.0]]), 2)[:, 0].tolist()
    [2.0, 6.0]
    """
    n, k = values.shape
    if n < cycle_length:
        raise ValueError(
            f"`cycle_length` needs at least one full cycle of training values. "
            f"Received: cycle_length={cycle_length} with {n} values"
        )
    phase = np.arange(n) % cycle_length
    sums = np.zeros((cycle_length, k))
    np.add.at(sums, phase, values)
    return sums / np.bincount(phase, minlength=cycle_length)[:, None]


def profile_at(profile: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The profile's values at integer ``positions`` (any shape): ``(*shape, k)``.

    Examples
    --------
    >>> profile_at(np.array([[2.0], [6.0]]), np.arange(3, 6))[:, 0].tolist()
    [6.0, 2.0, 6.0]
    """
    return profile[np.asarray(positions) % len(profile)]
