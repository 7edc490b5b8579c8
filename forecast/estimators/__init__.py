"""scikit-learn estimators wrapping Keras recurrent networks.

``BaseKerasEstimator`` (in ``forecast.estimators._base``) holds the shared
training machinery; the text estimators subclass it.
"""

from __future__ import annotations

from ._base import BaseKerasEstimator
from ._regressor import GRURegressor, LSTMRegressor, RNNRegressor, SimpleRNNRegressor

__all__ = [
    "BaseKerasEstimator",
    "RNNRegressor",
    "LSTMRegressor",
    "GRURegressor",
    "SimpleRNNRegressor",
]
