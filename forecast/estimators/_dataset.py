"""In-memory arrays as the ``tf.data`` pipeline that ``model.fit`` trains on.

``model.fit`` on NumPy arrays builds this same pipeline itself (Keras'
``ArrayDataAdapter``: one shuffled permutation per epoch, batches gathered from
the arrays by a parallel map), but with ``tf.data`` autotuning on. Each epoch
then ends by destroying an iterator whose autotuning thread only stops when its
optimisation period runs out, a period that keeps doubling while training runs: on the
2-vCPU benchmark machine every epoch of 195k M4 windows (about 50 s of compute)
waited about 30 s for it, and so did every validation pass (the main thread
sits in ``RootDataset::Iterator::~Iterator``).

:func:`array_dataset` builds the same pipeline, element for element and in the
same order (the same permutation ops, so the same seeded shuffle), with
autotuning off and the number of batches declared, so Keras still knows the
steps of an epoch. Training results are unchanged; only the waits go.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["array_dataset", "pack_arrays"]


def pack_arrays(x: Any, y: Any = None, sample_weight: Any = None) -> tuple:
    """``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``: the batch structures Keras unpacks.

    Lists (several inputs) become tuples. (Keras' own packing gives a bare ``x``
    where this gives ``(x,)``; ``model.fit`` and ``model.predict`` read both alike.)

    Examples
    --------
    >>> import numpy as np
    >>> len(pack_arrays(np.zeros((4, 2)), np.zeros(4)))
    2
    """
    def tup(a: Any) -> Any:
        return tuple(tup(v) for v in a) if isinstance(a, list | tuple) else a

    if y is None:
        return (tup(x),)
    if sample_weight is None:
        return (tup(x), tup(y))
    return (tup(x), tup(y), tup(sample_weight))


def _as_tensor_compatible(arr: np.ndarray, floatx: str, tf: Any) -> Any:
    """One array as Keras readies it for slicing: floats as ``floatx``, Python
    strings as a string tensor, anything else unchanged."""
    if arr.dtype == object and all(isinstance(e, str) for e in arr.ravel()):
        return tf.convert_to_tensor(arr, dtype="string")
    if np.issubdtype(arr.dtype, np.floating) and arr.dtype != np.dtype(floatx):
        return arr.astype(floatx)
    return arr


def array_dataset(arrays: tuple, *, batch_size: int, shuffle: bool) -> Any:
    """Batches of in-memory arrays as a ``tf.data.Dataset`` for ``model.fit``.

    Parameters
    ----------
    arrays : tuple
        ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` (see :func:`pack_arrays`);
        each part an array of shape ``(n, ...)`` or a tuple of them.
    batch_size : int
        Rows per batch; the last batch holds the remainder.
    shuffle : bool
        Rows in a random permutation, drawn when the dataset is iterated. As in
        Keras' own pipeline, with TensorFlow's global seed set every iteration
        (every epoch of a ``fit``) repeats the same permutation; unseeded, each
        draws a new one.

    Returns
    -------
    tf.data.Dataset
        ``ceil(n / batch_size)`` batches with the structure of ``arrays``; its
        cardinality is known.

    Examples
    --------
    >>> import numpy as np
    >>> ds = array_dataset((np.zeros((10, 3)), np.zeros(10)), batch_size=4,
    ...                    shuffle=False)
    >>> [len(b[0]) for b in ds]
    [4, 4, 2]
    """
    from .._tf import keras, tf

    t = tf()
    floatx = keras().backend.floatx()
    inputs = t.nest.map_structure(
        lambda a: _as_tensor_compatible(np.asarray(a), floatx, t), arrays)
    n = int(t.nest.flatten(inputs)[0].shape[0])

    def permutation(_: Any) -> Any:
        indices = t.range(n, dtype=t.int64)
        return t.random.shuffle(indices) if shuffle else indices

    def batch_indices(indices: Any) -> Any:
        # Keras reshapes the full batches and concatenates the partial one; batching
        # gives the same index batches, without the error line TensorFlow 2.21 logs
        # ("NodeDef mentions attribute use_unbounded_threadpool") for the concatenation
        return t.data.Dataset.from_tensor_slices(indices).batch(batch_size)

    def grab(i: Any, data: Any) -> Any:
        return t.nest.map_structure(lambda a: t.gather(a, i, axis=0), data)

    indices = t.data.Dataset.range(1).map(permutation).prefetch(1).flat_map(batch_indices)
    ds = t.data.Dataset.zip((indices, t.data.Dataset.from_tensors(inputs).repeat()))
    ds = ds.map(grab, num_parallel_calls=t.data.AUTOTUNE)
    options = t.data.Options()
    options.experimental_optimization.apply_default_optimizations = False
    if shuffle:
        options.experimental_external_state_policy = (
            t.data.experimental.ExternalStatePolicy.IGNORE
        )
    options.experimental_distribute.auto_shard_policy = t.data.experimental.AutoShardPolicy.DATA
    options.autotune.enabled = False  # the point of this module (see its docstring)
    ds = ds.with_options(options).prefetch(t.data.AUTOTUNE)
    return ds.apply(t.data.experimental.assert_cardinality(math.ceil(n / batch_size)))
