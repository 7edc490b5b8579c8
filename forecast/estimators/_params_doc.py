"""The shared ``Parameters`` section of the recurrent estimators' docstrings."""

from __future__ import annotations

__all__ = ["PARAMS_DOC", "PARAMS_DOC_FIXED_CELL"]

PARAMS_DOC = """
    Parameters
    ----------
    cell : {"lstm", "gru", "rnn"}, default="lstm"
        Recurrent cell (only on :class:`RNNRegressor`/:class:`RNNClassifier`; the
        thin ``LSTM*``/``GRU*``/``SimpleRNN*`` classes fix it).
    units : int or tuple of int, default=(32,)
        Sizes of the stacked recurrent layers (all but the last return sequences).
    bidirectional : bool, default=False
        Wrap each recurrent layer in ``Bidirectional``.
    dropout : float in [0, 1), default=0.0
        Dropout on each recurrent layer's inputs and after hidden dense layers.
    recurrent_dropout : float in [0, 1), default=0.0
        Dropout on the recurrent state. Any value > 0 disables the cuDNN kernel on
        GPUs (several times slower); the defaults keep every layer cuDNN-eligible.
    dense_units : int or tuple of int, optional
        Hidden ReLU dense layers of the head.
    segment_length : int, optional
        Segment-wise recurrence (SegRNN): the T steps are regrouped into
        ``T / segment_length`` steps of ``segment_length * F`` values, so the
        network runs over e.g. days instead of hours (24-hour segments on M4
        Hourly: OWA 0.48 vs 0.86, ~8x faster). ``T`` must be divisible by it
        (``ValueError`` otherwise: crop the oldest steps yourself).
    embedding_dim : int, optional
        When set, ``X`` holds integer token ids of shape ``(n, T)`` (0 = padding,
        masked) fed to an ``Embedding(max_id + 1, embedding_dim, mask_zero=True)``.
        Ids beyond the largest id seen in ``fit`` raise ``ValueError`` at predict.
    vocab_size : int, optional
        With ``embedding_dim``: the number of token ids (largest id + 1), e.g.
        ``len(vectorizer.vocabulary_)``. By default it is the largest id seen in
        ``fit`` + 1, so cross-validation on pre-vectorised ids fails on a fold
        whose training rows miss the rarest tokens; set it to fit on any fold.
    mask_value : float, optional
        Steps whose features all equal this value are skipped (``Masking``);
        right-pad to keep cuDNN eligibility. Not with ``segment_length``.
    optimizer : str, default="adam"
        One of "adam", "adamw", "sgd", "rmsprop", "adagrad", "adadelta", "adamax",
        "nadam", "lion".
    learning_rate : float, default=1e-3
    loss : str or callable
        A Keras loss name, a forecast loss name ("smape", "mase", ... from
        ``forecast.networks._losses``) or a callable ``loss(y_true, y_pred)``.
    clipnorm, clipvalue : float, optional
        Gradient clipping (by norm or by value: at most one of them).
    batch_size : int, default=32
    epochs : int, default=10
    validation_fraction : float in [0, 1), default=0.0
        Fraction of the windows held out for validation: the time-ordered TAIL
        of ``X`` (never shuffled into training). Early stopping then monitors
        ``val_loss``; otherwise ``loss``.
    early_stopping : bool, default=False
        Stop after ``patience`` epochs without improvement and restore the best
        weights.
    patience : int, default=5
    checkpoint_dir : str or path-like, optional
        Directory where the best model (``best.keras``) and ``state.json`` are
        written atomically at each improvement (``~`` is expanded; a path that is
        a file or cannot be created is a ``ValueError`` before training). An
        interrupted fit (Ctrl-C, a crash) leaves the last best model loadable;
        ``fit`` with ``warm_start=True``, the same network and the same directory
        resumes from it: from that model (optimizer state included) at the epoch
        after it, up to ``epochs``, with the current ``learning_rate``, loss and
        clipping. A checkpoint already at ``epochs`` has nothing left to resume:
        that fit warns (``UserWarning``) and trains ``epochs`` more epochs from the
        current weights (the checkpoint's when the estimator is not fitted),
        writing a new checkpoint; pass a larger ``epochs`` to continue the
        checkpointed run instead. A checkpoint with a file missing or damaged is a
        ``ValueError`` naming the directory: delete it or pass
        ``warm_start=False``.
    random_state : int, optional
        Seed for weights, dropout and shuffling: same seed, same predictions
        (bitwise on CPU with ``TF_ENABLE_ONEDNN_OPTS=0``).
    verbose : {0, 1, 2}, default=0
        Keras progress output.
    warm_start : bool, default=False
        Continue from the current weights instead of re-initialising them, and
        train ``epochs`` more epochs; with ``checkpoint_dir``, resume an
        interrupted run from its checkpoint instead (see ``checkpoint_dir``).
    shuffle : bool, default=True
        Shuffle the training windows each epoch.
    distribution : None, "mirrored" or tf.distribute.Strategy, optional
        Train under a distribution strategy (several GPUs / devices).
    callbacks : list of keras.callbacks.Callback, optional
        Extra Keras callbacks passed to ``model.fit`` (copied by ``clone``), e.g.
        ``keras.callbacks.ReduceLROnPlateau`` for a learning-rate schedule: the
        learning rate is an optimizer variable, so every ``fit`` (refits of a
        reused model included) starts again from ``learning_rate``.
    run_eagerly : bool, default=False
        Run Keras eagerly instead of tracing ``tf.function`` graphs: ~5x faster
        for tiny data (no 1-2 s tracing per new model), much slower on real data.
"""

_CELL_ENTRY = """    cell : {"lstm", "gru", "rnn"}, default="lstm"
        Recurrent cell (only on :class:`RNNRegressor`/:class:`RNNClassifier`; the
        thin ``LSTM*``/``GRU*``/``SimpleRNN*`` classes fix it).
"""

#: ``PARAMS_DOC`` without its ``cell`` entry, for the classes whose cell is fixed
PARAMS_DOC_FIXED_CELL = PARAMS_DOC.replace(_CELL_ENTRY, "", 1)
