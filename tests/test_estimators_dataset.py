"""The training pipeline of the estimators (``forecast.estimators._dataset``)."""

from __future__ import annotations

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from forecast.estimators import GRURegressor  # noqa: E402
from forecast.estimators._dataset import array_dataset, pack_arrays  # noqa: E402


def _batches(ds, epochs: int = 2) -> list:
    return [tf.nest.map_structure(lambda t: t.numpy(), b) for _ in range(epochs) for b in ds]


def _same(a: list, b: list) -> bool:
    flat_a = [tf.nest.flatten(x) for x in a]
    flat_b = [tf.nest.flatten(x) for x in b]
    return len(a) == len(b) and all(
        len(u) == len(v) and all(np.array_equal(p, q) for p, q in zip(u, v, strict=True))
        for u, v in zip(flat_a, flat_b, strict=True)
    )


def test_pack_arrays_like_keras() -> None:
    x, y, w = np.zeros((4, 2)), np.ones(4), np.full(4, 2.0)
    assert len(pack_arrays(x)) == 1
    assert len(pack_arrays(x, y)) == 2
    packed = pack_arrays([x, x], y, w)
    assert isinstance(packed[0], tuple)
    assert len(packed) == 3
    assert packed[2] is w


@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("weighted", [True, False])
def test_same_batches_in_the_same_order_as_keras(shuffle: bool, weighted: bool) -> None:
    """Element for element what ``model.fit`` on arrays trains on (Keras' adapter),
    including the seeded shuffle of each epoch, so results do not change."""
    adapters = pytest.importorskip("keras.src.trainers.data_adapters.array_data_adapter")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(1003, 5, 2)), rng.normal(size=(1003, 3))
    w = rng.random(1003) if weighted else None
    tf.random.set_seed(7)
    keras_ds = adapters.ArrayDataAdapter(x, y, w, batch_size=64, shuffle=shuffle).get_tf_dataset()
    expected = _batches(keras_ds)
    tf.random.set_seed(7)
    ours = _batches(array_dataset(pack_arrays(x, y, w), batch_size=64, shuffle=shuffle))
    assert _same(expected, ours)
    assert ours[0][0].dtype == np.float32  # float64 cast to floatx, as Keras does


def test_several_inputs_and_integer_arrays() -> None:
    adapters = pytest.importorskip("keras.src.trainers.data_adapters.array_data_adapter")
    rng = np.random.default_rng(1)
    x = (rng.normal(size=(100, 4, 1)), rng.integers(0, 5, size=(100, 4)))
    y = rng.normal(size=100)
    tf.random.set_seed(3)
    expected = _batches(adapters.ArrayDataAdapter(x, y, batch_size=32, shuffle=True)
                        .get_tf_dataset())
    tf.random.set_seed(3)
    ours = _batches(array_dataset(pack_arrays(x, y), batch_size=32, shuffle=True))
    assert _same(expected, ours)
    assert ours[0][0][1].dtype == x[1].dtype  # integers are not cast


def test_batches_cardinality_and_no_autotuning() -> None:
    x = np.arange(10, dtype="float32").reshape(10, 1)
    ds = array_dataset(pack_arrays(x, x[:, 0]), batch_size=4, shuffle=False)
    assert int(ds.cardinality()) == 3  # Keras reads the steps of an epoch from it
    sizes = [len(b[0]) for b in ds]
    assert sizes == [4, 4, 2]
    assert np.array_equal(np.concatenate([b[0] for b in ds])[:, 0], np.arange(10))
    # the per-epoch wait this module exists to remove comes from autotuning
    assert ds.options().autotune.enabled is False


def test_shuffled_rows_stay_paired() -> None:
    x = np.arange(50, dtype="float32").reshape(50, 1)
    y = -np.arange(50, dtype="float32")
    tf.random.set_seed(0)
    batches = _batches(array_dataset(pack_arrays(x, y), batch_size=16, shuffle=True), 1)
    xs = np.concatenate([b[0][:, 0] for b in batches])
    ys = np.concatenate([b[1] for b in batches])
    assert not np.array_equal(xs, np.arange(50))  # shuffled ...
    assert np.array_equal(np.sort(xs), np.arange(50))  # ... a permutation ...
    assert np.array_equal(ys, -xs)  # ... with targets following their rows


def test_seeded_shuffle_repeats_its_order_each_iteration_like_keras() -> None:
    """Documented behaviour, kept from Keras: with a global seed, every epoch of a
    ``fit`` sees the same permutation (unseeded, a new one each time)."""
    x = np.arange(30, dtype="float32").reshape(30, 1)
    tf.random.set_seed(0)
    ds = array_dataset(pack_arrays(x, x[:, 0]), batch_size=30, shuffle=True)
    orders = [next(iter(ds))[1].numpy() for _ in range(3)]
    assert not np.array_equal(orders[0], np.arange(30))
    assert all(np.array_equal(o, orders[0]) for o in orders)


def test_string_arrays_become_string_tensors() -> None:
    x = np.array(["a b", "c", "d e f"], dtype=object)
    ds = array_dataset(pack_arrays(x, np.array([0, 1, 0])), batch_size=2, shuffle=False)
    first = next(iter(ds))
    assert first[0].dtype == tf.string
    assert [s.decode() for s in first[0].numpy()] == ["a b", "c"]


def test_estimator_fit_is_reproducible_and_validates_each_epoch() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 6, 1)).astype("float32")
    y = X[:, -1, 0] * 0.5
    kw = dict(units=4, epochs=3, batch_size=32, validation_fraction=0.25, random_state=0)
    a = GRURegressor(**kw).fit(X, y)
    b = GRURegressor(**kw).fit(X, y)
    assert len(a.history_["val_loss"]) == 3
    assert a.history_ == b.history_
    np.testing.assert_array_equal(a.predict(X[:5]), b.predict(X[:5]))


def test_a_partial_last_batch_logs_no_tensorflow_error(capfd) -> None:
    # Keras' own index batching (reshape + concatenate of the partial batch) made
    # TensorFlow 2.21 log "E0000 ... NodeDef mentions attribute use_unbounded_threadpool"
    # to stderr at the first training step of every such fit
    from forecast.estimators import GRURegressor

    X = np.random.default_rng(0).normal(size=(60, 8, 1)).astype("float32")
    GRURegressor(units=2, epochs=1, batch_size=16, random_state=0).fit(X, X[:, -1, 0])
    assert "use_unbounded_threadpool" not in capfd.readouterr().err
