"""``set_output`` for transformers whose output is always a NumPy array."""

from __future__ import annotations

from typing import Any

__all__ = ["NumpyOutputMixin"]

_OUTPUTS = (None, "default", "pandas", "polars")


class NumpyOutputMixin:
    """Accept scikit-learn's ``set_output``; the output stays an ndarray.

    Windows of shape ``(n, T, F)`` have no DataFrame form, so these transformers
    define no ``get_feature_names_out`` and return arrays under any output setting,
    as they do under ``sklearn.set_config(transform_output="pandas")``. Without this
    method ``Pipeline.set_output(...)`` refuses every pipeline that contains one.
    """

    def set_output(self, *, transform: str | None = None) -> Any:
        """Accept an output container; this transformer still returns an ndarray.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None
            scikit-learn's output setting (a ``Pipeline`` passes its own to every step).

        Returns
        -------
        self

        Raises
        ------
        ValueError
            If ``transform`` is not one of scikit-learn's settings.

        Examples
        --------
        >>> from forecast.preprocessing import SlidingWindow
        >>> sw = SlidingWindow(window=2).set_output(transform="pandas")
        >>> type(sw.fit_transform([[1.0, 2.0, 3.0]])).__name__
        'ndarray'
        """
        if transform not in _OUTPUTS:
            raise ValueError(
                "`transform` must be 'default', 'pandas', 'polars' or None. "
                f"Received: transform={transform!r}"
            )
        return self
