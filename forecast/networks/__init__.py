"""Pure Keras 3 network builders (TensorFlow is imported only when a model is built).

Losses for forecasting live in :mod:`forecast.networks._losses` (``get_loss``).
"""

from __future__ import annotations

from ._recurrent import CELLS, build_recurrent_model, check_network_params, recurrent_layer

__all__ = ["CELLS", "build_recurrent_model", "check_network_params", "recurrent_layer"]
