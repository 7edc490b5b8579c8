"""scikit-learn estimators wrapping Keras recurrent networks.

``BaseKerasEstimator`` (in ``forecast.estimators._base``) holds the shared
training machinery; the text estimators subclass it.
"""

from __future__ import annotations

from ._base import BaseKerasEstimator
from ._classifier import RNNClassifier
from ._generator import TextGenerator
from ._regressor import GRURegressor, LSTMRegressor, RNNRegressor, SimpleRNNRegressor
from ._tagger import SequenceTagger
from ._translator import Seq2SeqTranslator

__all__ = [
    "BaseKerasEstimator",
    "RNNRegressor",
    "LSTMRegressor",
    "GRURegressor",
    "SimpleRNNRegressor",
    "RNNClassifier",
    "SequenceTagger",
    "TextGenerator",
    "Seq2SeqTranslator",
]
