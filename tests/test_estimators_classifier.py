"""RNNClassifier: binary and multiclass probabilities, labels, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from forecast.estimators import RNNClassifier


def _data(n_classes, labels=None, n=60):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 5, 2))
    codes = np.digitize(X[:, :, 0].mean(axis=1), np.quantile(X[:, :, 0].mean(axis=1),
                        np.linspace(0, 1, n_classes + 1)[1:-1]))
    y = codes if labels is None else np.asarray(labels)[codes]
    return X, y


@pytest.mark.parametrize(("n_classes", "labels"), [(2, None), (2, ["down", "up"]),
                                                   (3, ["a", "b", "c"])])
def test_predict_proba_and_labels(n_classes, labels):
    X, y = _data(n_classes, labels)
    clf = RNNClassifier(units=4, epochs=2, learning_rate=0.02, random_state=0,
                        run_eagerly=True).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (60, n_classes)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert set(clf.predict(X)) <= set(clf.classes_)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    assert "accuracy" in clf.history_
    assert 0.0 <= clf.score(X, y) <= 1.0


def test_loss_picked_from_classes():
    X, y = _data(2)
    clf = RNNClassifier(units=4, epochs=1, random_state=0, run_eagerly=True).fit(X, y)
    assert clf.model_.get_layer("output").activation.__name__ == "sigmoid"
    X, y = _data(3)
    clf = RNNClassifier(units=4, epochs=1, random_state=0, run_eagerly=True).fit(X, y)
    assert clf.model_.get_layer("output").activation.__name__ == "softmax"


def test_classifier_errors():
    X, y = _data(2)
    with pytest.raises(ValueError, match="at least 2 classes"):
        RNNClassifier().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="Unknown label type"):
        RNNClassifier().fit(X, np.linspace(0, 1, len(X)))
    with pytest.raises(ValueError, match="same number of samples"):
        RNNClassifier().fit(X, y[:-1])
    with pytest.raises(NotFittedError):
        RNNClassifier().predict_proba(X)


def test_token_ids_without_embedding_warn_and_floats_or_embeddings_do_not():
    ids = np.tile(np.array([[3, 7, 1, 0], [5, 2, 9, 4]], dtype=np.int32), (8, 1))
    y = np.tile([0, 1], 8)
    with pytest.warns(UserWarning, match=r"`embedding_dim` is None.*Received: X of dtype "
                                         r"int32 with shape \(16, 4\)"):
        RNNClassifier(units=2, epochs=1, random_state=0).fit(ids, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        RNNClassifier(units=2, epochs=1, random_state=0).fit(ids.astype(np.float32), y)
        RNNClassifier(units=2, embedding_dim=2, epochs=1, random_state=0).fit(ids, y)


@pytest.mark.parametrize("missing", [None, np.nan])
@pytest.mark.parametrize("wrap", [list, pd.Series, lambda v: np.asarray(v, dtype=object)])
def test_missing_labels_are_named_not_a_class(missing, wrap):
    X, y = _data(2, ["down", "up"])
    labels = list(y)
    labels[3] = missing
    with pytest.raises(ValueError, match=r"`y` has a missing label \(None or NaN\) at "
                                         r"position 3"):
        RNNClassifier(units=2, epochs=1).fit(X, wrap(labels))


def test_vocab_size_lets_every_fold_of_pre_vectorised_ids_fit():
    from sklearn.model_selection import KFold, cross_val_score

    rng = np.random.default_rng(0)
    ids = rng.integers(1, 6, size=(30, 5)).astype(np.int32)
    ids[-1, 0] = 9  # the rarest token only in the last rows
    y = np.tile([0, 1], 15)
    small = {"embedding_dim": 2, "units": 2, "epochs": 1, "random_state": 0, "run_eagerly": True}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # scoring failures are warnings
        without = cross_val_score(RNNClassifier(**small), ids, y, cv=KFold(3))
        declared = cross_val_score(RNNClassifier(vocab_size=10, **small), ids, y, cv=KFold(3))
    assert np.isnan(without[-1])
    assert np.isfinite(declared).all()
    clf = RNNClassifier(vocab_size=10, **small).fit(ids[:10], y[:10])
    assert clf.vocab_size_ == 10
    assert clf.predict(ids).shape == (30,)
    with pytest.raises(ValueError, match=r"`vocab_size` must be at least 10. "
                                         r"Received: vocab_size=9"):
        RNNClassifier(vocab_size=9, **small).fit(ids, y)
    with pytest.raises(ValueError, match=r"`vocab_size` counts token ids, which need "
                                         r"`embedding_dim`"):
        RNNClassifier(vocab_size=10, units=2, epochs=1).fit(ids, y)
    with pytest.raises(TypeError, match=r"`vocab_size` must be a positive integer"):
        RNNClassifier(vocab_size=2.5, **small).fit(ids, y)
