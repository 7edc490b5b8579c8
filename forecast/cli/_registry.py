"""Model registry of the CLI: short names -> forecaster factories.

Every factory takes the forecast ``horizon`` and the ``season_length`` (plus the
neural settings) and returns an unfitted forecaster from the public API. Classes
are imported inside the factories so that ``forecast --help`` stays fast and
TensorFlow is imported only when a neural model is actually built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._console import CLIError

__all__ = [
    "MODELS", "NEURAL", "BASELINES", "NeuralSettings", "auto_scaler", "auto_window", "build_model",
    "parse_models",
]


@dataclass(frozen=True)
class NeuralSettings:
    """Size and training settings of the recurrent forecasters built by the CLI.

    ``window=None`` picks ``auto_window(horizon, season_length, n_obs)``;
    ``scaler="auto"`` picks one from the data (see :func:`auto_scaler`); without
    data (``build_model`` alone) ``"log"`` for seasonal and ``"last"`` otherwise.
    """

    window: int | None = None
    units: tuple[int, ...] = (16,)
    epochs: int = 20
    batch_size: int = 32
    learning_rate: float = 3e-3
    loss: str = "mae"
    scaler: str | None = "auto"
    random_state: int | None = 0
    extra: dict[str, Any] = field(default_factory=dict)
    #: extra Keras callbacks given to the estimator (e.g. a history recorder)
    callbacks: tuple[Any, ...] = ()


def auto_window(horizon: int, season_length: int, n_obs: int | None = None) -> int:
    """Input window for a neural model: two seasons or three horizons, at least 12.

    Capped to a third of ``n_obs`` (when given) so that enough windows remain.

    Examples
    --------
    >>> auto_window(12, 12)
    36
    >>> auto_window(5, 1, n_obs=60)
    15
    """
    window = max(12, 2 * season_length, 3 * horizon)
    if season_length > 1:
        window = max(window, 3 * season_length)
    if n_obs is not None:
        window = max(2, min(window, n_obs // 3))
    return int(window)


def auto_scaler(y: Any, season_length: int) -> str:
    """Per-window scaler of the CLI's neural models for the series ``y``.

    ``"log"`` for a positive seasonal series, ``"last"`` for a positive
    non-seasonal one (prices), ``"standard"`` otherwise (e.g. returns). On the demo data
    (3 folds, LSTM, MAE loss) this gave OWA 1.25 vs 1.24 ("standard") on co2 and
    1.03 ("last") vs 1.11 ("log") vs 1.58 ("standard", MSE) on MSFT.

    Examples
    --------
    >>> auto_scaler([1.0, 2.0], season_length=12)
    'log'
    """
    import numpy as np

    positive = bool(np.all(np.asarray(y, dtype=float) > 0))
    if not positive:
        return "standard"
    return "log" if season_length > 1 else "last"


def _baseline(class_name: str, seasonal: bool = True) -> Callable[..., Any]:
    """Factory of the baseline ``class_name``, given the series' season length unless
    ``seasonal`` is False ("naive" is M4's Naive1, the random walk on the raw series:
    with the season length it would be Naive2 under another name)."""

    def factory(horizon: int, season_length: int, settings: NeuralSettings, n_obs: int | None):
        from forecast import forecasters

        cls = getattr(forecasters, class_name)
        params = cls().get_params()
        kwargs: dict[str, Any] = {}
        if seasonal and "season_length" in params:
            kwargs["season_length"] = season_length
        return cls(**kwargs)

    return factory


def _neural(estimator_name: str) -> Callable[..., Any]:
    def factory(horizon: int, season_length: int, settings: NeuralSettings, n_obs: int | None):
        from forecast import estimators
        from forecast.forecasters import NeuralForecaster

        est_cls = getattr(estimators, estimator_name)
        params = {
            "units": settings.units,
            "epochs": settings.epochs,
            "batch_size": settings.batch_size,
            "learning_rate": settings.learning_rate,
            "loss": settings.loss,
            "random_state": settings.random_state,
            "callbacks": list(settings.callbacks) or None,
            **settings.extra,  # estimator-specific settings win (segment_length, ...)
        }
        estimator = est_cls(**params)
        window = settings.window or auto_window(horizon, season_length, n_obs)
        scaler = settings.scaler
        if scaler == "auto":
            scaler = "log" if season_length > 1 else "last"
        return NeuralForecaster(
            estimator,
            window=window,
            horizon=horizon,
            scaler=scaler,
            season_length=season_length,
            random_state=settings.random_state,
        )

    return factory


#: name -> (display name, factory). Display names are what reports print.
MODELS: dict[str, tuple[str, Callable[..., Any]]] = {
    "lstm": ("LSTM", _neural("LSTMRegressor")),
    "gru": ("GRU", _neural("GRURegressor")),
    "rnn": ("RNN", _neural("SimpleRNNRegressor")),
    "naive": ("Naive", _baseline("Naive", seasonal=False)),
    "snaive": ("SeasonalNaive", _baseline("SeasonalNaive")),
    "drift": ("Drift", _baseline("Drift")),
    "mean": ("Mean", _baseline("Mean")),
    "naive2": ("Naive2", _baseline("Naive2")),
    "ses": ("SES", _baseline("SES")),
    "holt": ("Holt", _baseline("Holt")),
    "damped": ("DampedHolt", _baseline("DampedHolt")),
    "theta": ("Theta", _baseline("Theta")),
    "ets": ("ETS", _baseline("ETS")),
    "arima": ("ARIMA", _baseline("ARIMA")),
}
NEURAL = ("lstm", "gru", "rnn")
BASELINES = tuple(name for name in MODELS if name not in NEURAL)


def parse_models(spec: str | list[str] | tuple[str, ...]) -> list[str]:
    """Turn ``"lstm,gru,naive"`` (or a list) into validated registry names.

    ``"all"`` expands to every model, ``"baselines"`` to every baseline.
    Duplicates are dropped, order is kept.

    Raises
    ------
    CLIError
        For an empty list or an unknown name (the message lists the valid names).

    Examples
    --------
    >>> parse_models("LSTM, naive,lstm")
    ['lstm', 'naive']
    """
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names: list[str] = []
    for raw in items:
        name = str(raw).strip().lower()
        if not name:
            continue
        expanded = {"all": list(MODELS), "baselines": list(BASELINES)}.get(name, [name])
        for item in expanded:
            if item not in MODELS:
                raise CLIError(
                    f"unknown model {raw.strip()!r}. Valid names: {', '.join(MODELS)} "
                    "(or 'all', 'baselines')"
                )
            if item not in names:
                names.append(item)
    if not names:
        raise CLIError(f"`--models` is empty. Valid names: {', '.join(MODELS)}")
    return names


def build_model(
    name: str,
    *,
    horizon: int,
    season_length: int = 1,
    settings: NeuralSettings | None = None,
    n_obs: int | None = None,
) -> tuple[str, Any]:
    """Return ``(display_name, unfitted forecaster)`` for a registry name.

    Examples
    --------
    >>> build_model("naive", horizon=3)[0]
    'Naive'
    """
    key = parse_models(name)[0]
    display, factory = MODELS[key]
    return display, factory(horizon, season_length, settings or NeuralSettings(), n_obs)
