"""ETT long-horizon benchmark (standard protocol) through the public API.

Usage (from the repository root)::

    python pipelines/benchmarks/ett.py --data ../shared/data/ett/ETTh1.csv --horizon 96 \
        --out pipelines/benchmarks/results/ett.json --markdown BENCHMARKS.md

The defaults are the table's configuration, the same for every horizon and file:
``--decoder shared_segments --segment-length 24 --units 256 --dropout 0.5
--learning-rate 1e-3 --lr-schedule cosine --epochs 15 --patience 15 --batch-size 128
--loss mae --ensemble 3 --cells gru,lstm --ridge-weight 0.5 --ridge-channels both`` (no
``--ema``): three GRU and three LSTM networks (seeds 0-2 of each cell), in each the rate
falls from 1e-3 to 0 along a half cosine over the 15 epochs' steps, and the epoch with
the best validation MSE is kept; the reported forecast is the equal-weight mean of the
six networks' mean and the linear reference's (below).
``--lr-schedule decay`` is SegRNN's schedule instead (``--lr-decay`` per epoch after
the third; the previous defaults, with ``--epochs 30 --patience 10``). Rows of
earlier tables used other settings; their commands spell them out.

Protocol (as in Informer/SegRNN): look-back L = 96; train rows [0, 8640),
validation the next 2880, test the next 2880 (windows may reach L rows back into
the previous split for their inputs; the 15-minute ETTm files have 4 times as many
rows per split); every variable standardised with the train rows' mean and
standard deviation; MSE and MAE on the standardised values over all variables and
all ``2880 - h + 1`` test windows. Any file in the ETT format works (date column +
variables). SegRNN's published numbers (its README's L = 96 table) are shown for the
files named ETTh1, ETTh2, ETTm1 and ETTm2, and the JSON says whether the forecast's MSE
and MAE are below them (``below_segrnn``).

Model: SegRNN-style and channel-independent: the variables form a panel that
ONE ``NeuralForecaster`` fits (a ``GRURegressor`` or ``LSTMRegressor`` with
``segment_length=24``, per-window last-value subtraction, MAE loss; ``--decoder
segments`` decodes the output segments in parallel from the encoder state as SegRNN
does, and ``--decoder shared_segments`` runs that decoding step with the encoder's own
recurrent layer, SegRNN's single set of recurrent weights). Early stopping
uses the standard validation split: ``validation_steps=2880`` makes the windows
whose targets lie in it the validation set. The test windows are forecast with the
fitted weights: ``update`` with the test rows, then ``historical_forecasts``, one
batched predict per variable that gives the numbers of ``update`` + ``predict`` one
row at a time (a backtest without refit; the library's tests check it), about 10
times faster. ``--ensemble N`` averages the forecasts of N such models (seeds
``seed .. seed + N - 1``) of each cell of ``--cells``: the default ``gru,lstm`` fits
N ``GRURegressor`` and N ``LSTMRegressor`` with the same settings and averages all 2N
with equal weights (adopted on validation, BENCHMARKS.md). The networks train side by
side in one worker process per core (``--jobs 0``, the default; ``cores / jobs``
TensorFlow threads each); ``--jobs 1`` fits them one after the other in this process.
The forecasts are the same either way (measured bit for bit on ETTh1 with 1 and 2
threads).
``--ema M`` sets the regressor's ``ema_momentum`` (a moving average of the weights is
validated and returned).

``--series-features embedding`` adds SegRNN's channel position embedding: the
variable's one-hot code, embedded, is added to every output segment's query
(``NeuralForecaster(series_features="embedding")``, the regressor's
``static_features``); ``onehot`` feeds the code to the encoder as input channels.

``--cycle day`` removes each variable's daily cycle before windowing
(``NeuralForecaster(cycle_length=...)`` with one day of the file's steps: 24 for
ETTh, 96 for ETTm): each variable's mean over the train rows at each step of
the day (phases counted from the file's first row) is subtracted and added back
to the forecasts, CycleNet's residual cycle with the
phase means in place of a learned table. ``week`` removes a weekly cycle instead.

Every run also scores a linear reference, ``ridge-nlinear``: NLinear as a ridge
regression through the same forecaster (``NeuralForecaster(Ridge(...), scaler="last",
cycle_length=...)`` with the daily cycle removed, ``--ridge-cycle``), fitted on the
train rows only; ``--ridge-channels`` fits one map shared by the variables
(``shared``), one per variable (``individual``, DLinear's) or averages the two
(``both``, the default since it was adopted on validation, BENCHMARKS.md).
``--ridge-weight w`` makes the reported forecast ``(1 - w) * RNN ensemble + w * ridge``
(default 0.5, equal weights, fixed before any run; ``0`` reports the RNN ensemble
alone); the validation MSE of every ``w`` in steps of 0.1 is printed and stored, to
read, not to pick ``w`` on the test split.
``--save-forecasts FILE.npz`` keeps both models' forecasts.

``--highway`` adds the regressor's linear highway (LSTNet): a linear map of the
L scaled inputs added to the network's forecast.

The JSON and the table also give the scores of the first ``windows // 256 * 256``
test windows (``drop_last``): what a test loader with ``drop_last=True`` and batch
256 evaluates, as in the PatchTST code SegRNN's scripts derive from. The protocol,
and the goal, are all the windows; this column only shows how much of a gap to a
published number that protocol difference can explain.

Every model's validation MSE (its forecasts for the validation windows, the ones
early stopping watched, so optimistic) is printed and stored next to the test
scores: compare settings on it, not on the test split.

Running time of the default command on ETTh1 (six networks, two at a time on a
2-core AMD EPYC; BENCHMARKS.md): 30 minutes at h = 96, 48 at 192, 58 at 336 and
100 at 720 (measured); 1.2-2.2 GB peak memory. An ETTm file has 4 times as
many training windows, so expect about 4 times as long (an estimate: no ETTm file
was run here). ``--ensemble 1`` fits one network per cell instead of three, about a
third of the time, but it is not the table's configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nf_common import (  # noqa: E402
    library_versions,
    machine,
    network_pool,
    resolve_jobs,
    update_markdown,
)

from forecast._io import atomic_write_text  # noqa: E402
from forecast.datasets import load_ett  # noqa: E402
from forecast.preprocessing import make_windows  # noqa: E402

#: train / validation / test rows of the hourly files (12 / 4 / 4 months); the
#: 15-minute files (ETTm*) have 4 times as many rows per split
TRAIN, VAL, TEST = 8640, 2880, 2880
#: SegRNN's published MSE / MAE for L = 96 by file and horizon: the table "Comparison
#: Results for Lookback L = 96" of the SegRNN README (lss-1138/SegRNN, rerun after the
#: drop_last fix); ETTh1's are also in ../shared/data/README.md
PUBLISHED_SEGRNN = {
    "ETTh1": {96: (0.368, 0.395), 192: (0.408, 0.419), 336: (0.444, 0.440),
              720: (0.446, 0.457)},
    "ETTh2": {96: (0.278, 0.335), 192: (0.359, 0.389), 336: (0.421, 0.436),
              720: (0.432, 0.455)},
    "ETTm1": {96: (0.330, 0.369), 192: (0.369, 0.392), 336: (0.399, 0.412),
              720: (0.454, 0.443)},
    "ETTm2": {96: (0.173, 0.255), 192: (0.237, 0.298), 336: (0.296, 0.336),
              720: (0.389, 0.407)},
}
#: test batch of SegRNN's L = 96 scripts; a test loader with ``drop_last=True`` (as in
#: the PatchTST code SegRNN's derives from) scores only the first
#: ``windows // 256 * 256`` test windows
REFERENCE_TEST_BATCH = 256



def lr_decay(base: float, factor: float):
    """Keras callback: the rate is ``base`` for 3 epochs, then ``base * factor ** (epoch - 2)``."""
    from forecast._tf import keras

    return keras().callbacks.LearningRateScheduler(_Decay(base, factor))


class _Decay:
    """Picklable schedule ``epoch -> rate`` for :func:`lr_decay`."""

    def __init__(self, base: float, factor: float) -> None:
        self.base, self.factor = base, factor

    def __call__(self, epoch: int, lr: float = 0.0) -> float:
        return self.base if epoch < 3 else self.base * self.factor ** (epoch - 2)


def _schedule(settings: dict) -> str:
    """The learning-rate schedule of a run's settings, in words."""
    lr = f"{settings.get('learning_rate', 0):g}"
    if settings.get("lr_schedule") == "cosine":
        return f"cosine from {lr} over {settings.get('epochs')} epochs"
    decay = settings.get("lr_decay")
    return f"{lr}, x{decay:g}/epoch" if decay not in (None, 1) else f"{lr} constant"


#: the recurrent cells ``--cells`` can name
CELLS = ("gru", "lstm")

#: the table title's name of the linear reference for each ``--ridge-channels``
RIDGE_LABELS = {"shared": "NLinear ridge", "individual": "per-variable NLinear ridge",
                "both": "NLinear ridge (mean of shared and per-variable maps)"}


def render(by_horizon: dict) -> str:
    """The BENCHMARKS.md section for the runs of every horizon (each with its own machine)."""
    rows = ["| horizon | model | MSE | MAE | SegRNN published MSE / MAE | MSE / MAE, full test "
            "batches only (windows) | validation MSE | RNN alone / ridge: test MSE (validation) "
            "| decoder | cycle | EMA | lr schedule | seeds | fit s | epochs | date |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    ordered = sorted(by_horizon.items(), key=lambda kv: int(kv[0]))
    machines: dict[str, list[str]] = {}
    commands: dict[str, list[str]] = {}
    for hh, r in ordered:
        headline = r.get("headline", "segrnn-style-gru")
        m = r["models"][headline]
        w = r["settings"].get("ridge_weight") or 0
        rnn = _cells_label(r["settings"])
        model = rnn if not w else f"{1 - w:g} {rnn} + {w:g} ridge"
        parts = [r["models"].get(k) for k in (r.get("recurrent", "segrnn-style-gru"),
                                              "ridge-nlinear")]
        alone = "-" if None in parts else " / ".join(
            f"{x['mse']:.3f} ({x['validation_mse']:.3f})" for x in parts)
        pub = r["published_segrnn"]
        st = r["settings"]
        published = f"{pub['mse'] or 'n/a'} / {pub['mae'] or 'n/a'}"
        vm = m.get("validation_mse")
        vms = "-" if vm is None else f"{vm:.3f}"
        dl = m.get("drop_last")
        dls = "-" if dl is None else f"{dl['mse']:.3f} / {dl['mae']:.3f} ({dl['windows']})"
        decoder = st.get("decoder", "dense") + (" + highway" if st.get("highway") else "")
        rows.append(f"| {hh} | {model} | {m['mse']:.4f} | {m['mae']:.4f} | {published} | {dls} "
                    f"| {vms} | {alone} | {decoder} | {st.get('cycle', 'none')} "
                    f"| {st.get('ema') or '-'} "
                    f"| {_schedule(st)} | {_seeds(st)} "
                    f"| {m['fit_seconds']:.0f} | {r['epochs_run']} | {r['date']} |")
        machines.setdefault(f"{r['machine']}; {r['versions']}", []).append(hh)
        commands.setdefault(r["command"].replace(f"--horizon {hh}", "--horizon H"), []).append(hh)
    where = " ".join(f"h = {', '.join(hs)}: {mach}." for mach, hs in machines.items())
    cmds = " ".join(f"h = {', '.join(hs)}: `{c}`." for c, hs in commands.items())
    name = ordered[-1][1].get("dataset", "ETTh1")
    mixed = any(r["settings"].get("ridge_weight") for _, r in ordered)
    ridge = RIDGE_LABELS[ordered[-1][1]["settings"].get("ridge_channels", "shared")]
    model = (f"SegRNN-style {_cells_label(ordered[-1][1]['settings'])}"
             + (f" ensemble + {ridge}" if mixed else ""))
    return (f"### {name} (L=96, channel-independent {model}, standard protocol)\n\n"
            + "\n".join(rows) + "\n\n"
            + f"Machines: {where} Commands (H = the row's horizon): {cmds} With several seeds "
            "the forecasts of the seeds' models are averaged; fit s and epochs add up over "
            "the seeds. MSE and MAE are over all test windows (the protocol); the 'full test "
            f"batches only' column scores the first windows // {REFERENCE_TEST_BATCH} * "
            f"{REFERENCE_TEST_BATCH} of them, what a test loader with `drop_last=True` and "
            f"SegRNN's batch of {REFERENCE_TEST_BATCH} evaluates. Settings of the last row: "
            f"{ordered[-1][1]['settings']}.\n")


def _cells_label(settings: dict) -> str:
    """The recurrent cells of a run's ensemble, in words ("GRU", "GRU+LSTM")."""
    return settings.get("cells", "gru").replace(",", "+").upper()


def _seeds(settings: dict) -> str:
    """The table's seeds column: the seeds per cell, and the cells when not GRU alone."""
    n = settings.get("ensemble", 1)
    cells = settings.get("cells", "gru")
    return str(n) if cells == "gru" else f"{n} per cell ({_cells_label(settings)})"


def first_full_batches(n_windows: int, batch: int = REFERENCE_TEST_BATCH) -> int:
    """How many test windows a loader with ``drop_last=True`` and ``batch`` scores."""
    return n_windows // batch * batch


def _errors(pred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """MSE and MAE of forecasts ``pred`` against ``truth`` (same shape), as floats."""
    err = pred - truth
    return {"mse": float(np.mean(err ** 2)), "mae": float(np.mean(np.abs(err)))}


def windows_of(rows: pd.DataFrame, h: int) -> np.ndarray:
    """Every ``h``-row window of ``rows``: the targets ``(len(rows) - h + 1, h, variables)``."""
    return make_windows(rows.to_numpy(), window=h, horizon=0)[0]


def stacked(forecasts: dict) -> np.ndarray:
    """``NeuralForecaster.historical_forecasts`` of a panel as one array ``(windows, h,
    variables)``, the variables in the panel's order."""
    return np.stack(list(forecasts.values()), axis=2)


def fit_member(a: argparse.Namespace, seed: int, panel: dict, test_rows: pd.DataFrame,
               val: int, cell: str = "gru") -> tuple[np.ndarray, float, float, int, np.ndarray]:
    """Fit one seed's model (``cell`` "gru" or "lstm"); return its test forecasts
    ``(windows, h, variables)``, fit seconds, predict seconds, epochs run and its
    validation forecasts."""
    from forecast.estimators import RNNRegressor
    from forecast.forecasters import NeuralForecaster

    h, L = a.horizon, a.lookback
    cosine = a.lr_schedule == "cosine"
    est = RNNRegressor(cell=cell, units=a.units, segment_length=a.segment_length, decoder=a.decoder,
                       dropout=a.dropout, highway=a.highway, loss=a.loss,
                       optimizer=a.optimizer,
                       epochs=a.epochs, ema_momentum=a.ema,
                       learning_rate_schedule="cosine" if cosine else "constant",
                       batch_size=a.batch_size, learning_rate=a.learning_rate,
                       early_stopping=True, patience=a.patience,
                       callbacks=None if cosine else [lr_decay(a.learning_rate, a.lr_decay)])
    f = NeuralForecaster(est, window=L, horizon=h, scaler=a.scaler, validation=True,
                         validation_steps=val, series_features=a.series_features,
                         cycle_length=cycle_steps(a.cycle, test_rows.index),
                         random_state=seed)
    t0 = time.perf_counter()
    f.fit(panel)
    fit_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    # the validation windows also drove early stopping: their scores are optimistic,
    # but they compare settings without looking at the test split
    preds, val_pred = split_forecasts(f, val, test_rows)
    return (preds, fit_s, time.perf_counter() - t1, len(f.history_.get("loss", [])),
            val_pred)


def split_forecasts(f, val: int, test_rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The fitted ``f``'s forecasts ``(windows, h, variables)`` for every ``h``-row window
    of ``test_rows`` and for the validation windows (targets in the last ``val`` rows
    ``f`` holds): ``historical_forecasts`` for the validation windows, ``update`` with
    the test rows (same weights), then ``historical_forecasts`` again, the backtest
    without refit in one batched predict per split."""
    h = f.horizon
    val_pred = stacked(f.historical_forecasts(val - h + 1))
    f.update({c: test_rows[c] for c in test_rows})
    return stacked(f.historical_forecasts(len(test_rows) - h + 1)), val_pred


def mix(w: float, rnn: np.ndarray, ridge: np.ndarray) -> np.ndarray:
    """The reported forecast ``(1 - w) * rnn + w * ridge`` (``rnn`` itself for ``w = 0``)."""
    return (1 - w) * rnn + w * ridge


def fit_ridge(a: argparse.Namespace, panel: dict, test_rows: pd.DataFrame,
              val: int) -> tuple[np.ndarray, np.ndarray, float]:
    """The linear reference: its test forecasts, validation forecasts and seconds.

    ``NeuralForecaster(Ridge(alpha=ridge_alpha * windows, fit_intercept=False),
    scaler="last", validation=False, cycle_length=...)``: NLinear with ``--ridge-cycle``
    removed, a map of the L last-value-subtracted inputs to the h outputs, least
    squares with an L2 penalty of ``--ridge-alpha`` per training window.
    ``--ridge-channels shared`` fits one map for all the variables, ``individual`` one
    per variable (DLinear's "individual"), ``both`` averages the two with equal
    weights. Fitted on the train rows only (the GRU's training windows), so its
    validation forecasts, unlike the GRU's, were not used to choose anything; the
    validation rows then reach it through ``update`` before the test windows."""
    groups = {"shared": [list(panel)], "individual": [[c] for c in panel]}
    modes = ["shared", "individual"] if a.ridge_channels == "both" else [a.ridge_channels]
    t0 = time.perf_counter()
    fits = []
    for mode in modes:
        parts = [_fit_ridge_group(a, {c: panel[c] for c in g}, test_rows[g], val)
                 for g in groups[mode]]
        fits.append((np.concatenate([t for t, _ in parts], axis=2),
                     np.concatenate([v for _, v in parts], axis=2)))
    return (np.mean([t for t, _ in fits], axis=0), np.mean([v for _, v in fits], axis=0),
            time.perf_counter() - t0)


def _fit_ridge_group(a: argparse.Namespace, panel: dict, test_rows: pd.DataFrame,
                     val: int) -> tuple[np.ndarray, np.ndarray]:
    """One ridge map fitted on the train rows of the variables in ``panel``: its test
    and validation forecasts ``(windows, h, variables)``."""
    from sklearn.linear_model import Ridge

    from forecast.forecasters import NeuralForecaster

    h, L = a.horizon, a.lookback
    train_panel = {c: s.iloc[:-val] for c, s in panel.items()}
    windows = sum(max(len(s) - L - h + 1, 0) for s in train_panel.values())
    f = NeuralForecaster(Ridge(alpha=a.ridge_alpha * windows, fit_intercept=False),
                         window=L, horizon=h, scaler="last", validation=False,
                         cycle_length=cycle_steps(a.ridge_cycle, test_rows.index))
    f.fit(train_panel)
    f.update({c: s.iloc[-val:] for c, s in panel.items()})
    return split_forecasts(f, val, test_rows)


#: ``--cycle`` choices: length of the removed cycle in hours
CYCLE_HOURS = {"none": None, "day": 24, "week": 168}


def segrnn_reference(dataset: str, per_hour: int) -> dict:
    """SegRNN's published ``{horizon: (MSE, MAE)}`` for a file named ``dataset``; ``{}``
    when there is none, or when the file's step contradicts its name (ETTh files are
    hourly, ETTm files every 15 minutes: 4 steps per hour), which is said on stderr.

    Examples
    --------
    >>> segrnn_reference("ETTm2", per_hour=4)[96]
    (0.173, 0.255)
    >>> segrnn_reference("ETTm2", per_hour=1)
    {}
    """
    published = {k.lower(): v for k, v in PUBLISHED_SEGRNN.items()}.get(dataset.lower(), {})
    expected = {"etth": 1, "ettm": 4}.get(dataset.lower()[:4])
    if published and expected is not None and expected != per_hour:
        print(f"warning: {dataset} is named like {'hourly' if expected == 1 else '15-minute'} "
              f"ETT data, but it has {per_hour} step(s) per hour: no SegRNN reference is "
              "used", file=sys.stderr)
        return {}
    return published


def steps_in(span: pd.Timedelta, index: pd.Index) -> int:
    """How many steps of ``index``'s sampling interval (its median spacing) ``span`` lasts."""
    return max(1, round(span / pd.Series(index).diff().median()))


def cycle_steps(cycle: str, index: pd.Index) -> int | None:
    """``NeuralForecaster(cycle_length=...)`` for ``--cycle``: the cycle in steps of
    the file's sampling interval (a day is 24 steps of ETTh, 96 of ETTm)."""
    hours = CYCLE_HOURS[cycle]
    return None if hours is None else steps_in(pd.Timedelta(hours=hours), index)


def build_parser() -> argparse.ArgumentParser:
    """The command line; its defaults are the configuration of the published table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default="../shared/data/ett/ETTh1.csv", type=Path)
    p.add_argument("--horizon", type=int, default=96, choices=[96, 192, 336, 720])
    p.add_argument("--lookback", type=int, default=96)
    p.add_argument("--units", type=int, default=256)
    p.add_argument("--epochs", type=int, default=15)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--patience", type=int, default=15)
    p.add_argument("--loss", default="mae")
    p.add_argument("--optimizer", default="adam", help="the regressor's optimizer name")
    p.add_argument("--segment-length", type=int, default=24,
                   help="input (and, with --decoder segments, output) segment length; "
                        "must divide the look-back")
    p.add_argument("--decoder", default="shared_segments",
                   choices=["dense", "segments", "shared_segments"])
    p.add_argument("--dropout", type=float, default=0.5)
    p.add_argument("--highway", action="store_true",
                   help="the regressor's highway: a linear map of the input window added to "
                        "the output (LSTNet)")
    p.add_argument("--ema", type=float, default=None,
                   help="ema_momentum of the regressor (moving average of the weights)")
    p.add_argument("--scaler", default="last", choices=["last", "standard"])
    p.add_argument("--cycle", default="none", choices=list(CYCLE_HOURS),
                   help="remove each variable's mean cycle of this length (phase means of "
                        "the train rows), NeuralForecaster(cycle_length=...)")
    p.add_argument("--lr-decay", type=float, default=0.9,
                   help="multiply the learning rate by this factor every epoch after the "
                        "third (SegRNN's schedule 'type3' uses 0.9)")
    p.add_argument("--lr-schedule", default="cosine", choices=["decay", "cosine"],
                   help="decay: --lr-decay per epoch; cosine: the regressor's half cosine from "
                        "the rate to 0 over the steps of --epochs (--lr-decay ignored)")
    p.add_argument("--series-features", default=None, choices=["onehot", "embedding"],
                   help="onehot: the variable's one-hot code as input channels; embedding: "
                        "the code embedded into the decoder's queries (SegRNN's channel "
                        "position embedding)")
    p.add_argument("--ridge-weight", type=float, default=0.5,
                   help="weight of the linear reference (ridge) in the forecast: "
                        "(1 - w) * RNN ensemble + w * ridge; 0 reports the RNN ensemble "
                        "alone (the ridge is still scored beside it)")
    p.add_argument("--ridge-alpha", type=float, default=1e-3,
                   help="the ridge's L2 penalty per training window")
    p.add_argument("--ridge-cycle", default="day", choices=list(CYCLE_HOURS),
                   help="cycle removed before the ridge (NeuralForecaster(cycle_length=...))")
    p.add_argument("--ridge-channels", default="both",
                   choices=["shared", "individual", "both"],
                   help="one ridge map for all the variables, one per variable, or the "
                        "equal-weight mean of the two")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ensemble", type=int, default=3,
                   help="seeds seed..seed+N-1 of each cell, forecasts averaged (a seed "
                        "ensemble)")
    p.add_argument("--cells", default="gru,lstm",
                   help="comma list of gru,lstm: the recurrent cells of the ensemble's "
                        "networks, --ensemble seeds each, all the networks' forecasts "
                        "averaged with equal weights")
    p.add_argument("--jobs", type=int, default=0,
                   help="processes fitting the networks side by side (cores / jobs "
                        "TensorFlow threads each; 0, the default: one per core, at most one "
                        "per network; 1: one after the other in this process); the "
                        "forecasts are the same whatever the value, up to float32 rounding")
    p.add_argument("--out", default=None, type=Path)
    p.add_argument("--markdown", default=None, type=Path)
    p.add_argument("--save-forecasts", default=None, type=Path,
                   help="write the RNN ensemble's and the ridge's test and validation "
                        "forecasts to this .npz file (to study combinations without refitting)")
    return p


def main(argv: list[str] | None = None) -> int:
    p = build_parser()
    a = p.parse_args(argv)
    if not 0 <= a.ridge_weight <= 1:
        p.error(f"--ridge-weight must be in [0, 1]. Received: {a.ridge_weight}")
    if a.jobs < 0:
        p.error(f"--jobs must be >= 0. Received: --jobs {a.jobs}")
    cells = a.cells.split(",")
    if len(set(cells)) < len(cells) or not set(cells) <= set(CELLS):
        p.error(f"--cells must be a comma list of distinct cells among {', '.join(CELLS)}. "
                f"Received: {a.cells!r}")

    h, L = a.horizon, a.lookback
    df = load_ett(a.data)
    dataset = a.data.stem
    per_hour = steps_in(pd.Timedelta("1h"), df.index)
    published = segrnn_reference(dataset, per_hour)  # a name/step mismatch is said now
    train, val, test = TRAIN * per_hour, VAL * per_hour, TEST * per_hour
    if len(df) < train + val + test:  # the protocol's splits need every row
        p.error(f"{str(a.data)!r} has {len(df)} rows; the standard ETT splits need "
                f"{train + val + test} ({train} train, {val} validation, {test} test)")
    stats = df.iloc[:train]
    z = (df - stats.mean()) / stats.std(ddof=0)
    fit_rows = z.iloc[: train + val]
    test_rows = z.iloc[train + val : train + val + test]
    panel = {c: fit_rows[c] for c in z.columns}
    n_windows = test - h + 1
    truth = windows_of(test_rows, h)
    specs = [(cell, s) for cell in cells for s in range(a.seed, a.seed + a.ensemble)]
    member_cells, seeds = [c for c, _ in specs], [s for _, s in specs]
    n = len(specs)
    jobs = resolve_jobs(a.jobs, n)
    if jobs > 1:
        with network_pool(jobs) as pool:
            runs = list(pool.map(fit_member, [a] * n, seeds, [panel] * n,
                                 [test_rows] * n, [val] * n, member_cells))
    else:
        runs = [fit_member(a, seed, panel, test_rows, val, cell) for cell, seed in specs]
    members = [r[0] for r in runs]
    val_members = [r[4] for r in runs]
    val_truth = windows_of(fit_rows.iloc[-val:], h)
    fit_s = sum(r[1] for r in runs)
    pred_s = sum(r[2] for r in runs)
    epochs = [r[3] for r in runs]
    member_rows = [{"cell": c, "seed": seed, **_errors(p, truth), "epochs": e,
                    "validation_mse": _errors(v, val_truth)["mse"]}
                   for c, seed, p, e, v in zip(member_cells, seeds, members, epochs,
                                               val_members, strict=True)]
    for r in member_rows:
        print(f"  {r['cell']} seed {r['seed']}: MSE {r['mse']:.4f} MAE {r['mae']:.4f}, "
              f"{r['epochs']} epochs; validation MSE {r['validation_mse']:.4f}", flush=True)
    rnn_test, rnn_val = np.mean(members, axis=0), np.mean(val_members, axis=0)
    ridge_test, ridge_val, ridge_s = fit_ridge(a, panel, test_rows, val)
    w = a.ridge_weight
    preds = mix(w, rnn_test, ridge_test)
    val_mse = _errors(mix(w, rnn_val, ridge_val), val_truth)["mse"]
    # validation MSE of every mix, to read (never to pick weights on the test split)
    by_weight = {f"{x:.1f}": _errors(mix(x, rnn_val, ridge_val), val_truth)["mse"]
                 for x in np.linspace(0, 1, 11)}
    rnn = "segrnn-style-" + "+".join(cells)
    reference = {
        rnn: {**_errors(rnn_test, truth),
              "validation_mse": _errors(rnn_val, val_truth)["mse"],
              "seconds": round(fit_s + pred_s, 1)},
        "ridge-nlinear": {**_errors(ridge_test, truth),
                          "validation_mse": _errors(ridge_val, val_truth)["mse"],
                          "seconds": round(ridge_s, 1)}}
    for name, r in reference.items():
        print(f"  {name}: MSE {r['mse']:.4f} MAE {r['mae']:.4f}; validation MSE "
              f"{r['validation_mse']:.4f}", flush=True)
    print("  validation MSE of (1 - w) * RNN + w * ridge: "
          + ", ".join(f"w={k} {v:.4f}" for k, v in by_weight.items()), flush=True)
    headline = rnn if w == 0 else rnn + "+ridge"
    if a.save_forecasts:
        a.save_forecasts.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(a.save_forecasts, rnn_test=rnn_test, rnn_val=rnn_val,
                            ridge_test=ridge_test, ridge_val=ridge_val, test_truth=truth,
                            val_truth=val_truth)
    scores = _errors(preds, truth)
    mse, mae = scores["mse"], scores["mae"]
    kept = first_full_batches(n_windows)
    drop_last = None if kept == 0 else {
        "batch": REFERENCE_TEST_BATCH, "windows": kept, **_errors(preds[:kept], truth[:kept])}
    ref = published.get(h, (None, None))
    versus = ("no SegRNN reference for this file" if ref[0] is None else
              f"SegRNN published {ref[0]}/{ref[1]}: MSE "
              f"{'below' if mse < ref[0] else 'NOT below'}")
    print(f"{dataset} h={h} {headline} ({a.ensemble} seed(s) of {a.cells}): MSE {mse:.4f} "
          f"MAE {mae:.4f} ({versus}); "
          f"fit {fit_s:.0f}s, {n_windows} test windows predicted in {pred_s:.0f}s; "
          f"validation MSE {val_mse}", flush=True)
    if drop_last is not None:
        print(f"first {kept} windows (drop_last, batch {REFERENCE_TEST_BATCH}): "
              f"MSE {drop_last['mse']:.4f} MAE {drop_last['mae']:.4f}", flush=True)
    payload = {
        "benchmark": "ett", "dataset": dataset, "horizon": h, "lookback": L,
        "date": date.today().isoformat(), "machine": machine(), "versions": library_versions(),
        "command": "python " + " ".join([sys.argv[0], *(argv or sys.argv[1:])]),
        "settings": {"units": a.units, "segment_length": a.segment_length, "scaler": a.scaler,
                     "decoder": a.decoder, "dropout": a.dropout, "highway": a.highway,
                     "ema": a.ema,
                     "series_features": a.series_features, "cycle": a.cycle,
                     "lr_decay": a.lr_decay,
                     "lr_schedule": a.lr_schedule,
                     "loss": a.loss, "optimizer": a.optimizer, "epochs": a.epochs,
                     "batch_size": a.batch_size,
                     "learning_rate": a.learning_rate, "patience": a.patience, "seed": a.seed,
                     "ensemble": a.ensemble, "cells": a.cells,
                     "ridge_weight": w, "ridge_alpha": a.ridge_alpha,
                     "ridge_cycle": a.ridge_cycle,
                     "ridge_channels": a.ridge_channels},
        "epochs_run": sum(epochs),
        "members": member_rows,
        "headline": headline,
        "recurrent": rnn,
        "validation_mse_by_ridge_weight": by_weight,
        "models": {**reference,
                   headline: {"mse": mse, "mae": mae, "validation_mse": val_mse,
                              "seconds": round(fit_s + pred_s + (ridge_s if w else 0), 1),
                              "fit_seconds": round(fit_s, 1),
                              "predict_seconds": round(pred_s, 1),
                              "test_windows": n_windows,
                              "drop_last": drop_last}},
        "published_segrnn": {"mse": ref[0], "mae": ref[1]},
        "below_segrnn": None if ref[0] is None else {"mse": mse < ref[0], "mae": mae < ref[1]},
    }
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        results = {}
        if a.out.exists():  # keep other horizons of the same dataset already in the file
            old = json.loads(a.out.read_text())
            if old.get("dataset", "ETTh1") == dataset:
                results = old.get("by_horizon", {})
        results[str(h)] = payload
        payload = {**payload, "by_horizon": results}
        atomic_write_text(a.out, json.dumps(payload, indent=2))
    if a.markdown:
        key = "ett" if dataset == "ETTh1" else f"ett-{dataset.lower()}"
        update_markdown(a.markdown, key, render(payload.get("by_horizon", {str(h): payload})))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
