"""TextVectorizer: vocabulary, padding, standardisation, input handling, sklearn API (no TF)."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_checks as ec

from forecast.text import TextVectorizer

DOCS = ["The cat sat.", "The dog sat!", "A dog, a cat"]


def test_fit_transform_ids_are_frequency_ranked_and_stable():
    vec = TextVectorizer(sequence_length=5).fit(DOCS)
    assert vec.tokens_[:2] == ["", "[UNK]"]
    assert vec.vocabulary_[""] == 0
    assert vec.vocabulary_["[UNK]"] == 1
    # a(2) cat(2) dog(2) sat(2) the(2): ties broken alphabetically
    assert vec.tokens_[2:] == ["a", "cat", "dog", "sat", "the"]
    ids = vec.transform(DOCS)
    assert ids.shape == (3, 5)
    assert ids.dtype == np.int32
    assert ids[0].tolist() == [6, 3, 5, 0, 0]
    np.testing.assert_array_equal(ids, vec.fit_transform(DOCS))
    restored = pickle.loads(pickle.dumps(vec))
    np.testing.assert_array_equal(vec.transform(DOCS), restored.transform(DOCS))


def test_oov_and_empty_string():
    vec = TextVectorizer(sequence_length=3).fit(DOCS)
    cat = vec.vocabulary_["cat"]
    assert vec.transform(["zebra cat", ""]).tolist() == [[1, cat, 0], [0, 0, 0]]


def test_sequence_length_defaults_to_longest_capped():
    assert TextVectorizer().fit(DOCS).sequence_length_ == 4
    assert TextVectorizer(max_sequence_length=2).fit(DOCS).sequence_length_ == 2


@pytest.mark.parametrize(
    ("padding", "truncating", "expected"),
    [
        ("post", "post", [["the", "cat"], ["a", "dog"]]),
        ("pre", "pre", [["cat", "sat"], ["a", "cat"]]),
    ],
)
def test_padding_and_truncating(padding, truncating, expected):
    vec = TextVectorizer(sequence_length=2, padding=padding, truncating=truncating)
    vec.fit(["the cat sat", "a dog a cat"])
    ids = vec.transform(["the cat sat", "a dog a cat"])
    assert vec.inverse_transform(ids) == expected
    short = vec.transform(["cat"]).tolist()[0]
    cat = vec.vocabulary_["cat"]
    assert short == ([cat, 0] if padding == "post" else [0, cat])


@pytest.mark.parametrize("truncating", ["post", "pre"])
def test_vocabulary_only_counts_tokens_kept_after_truncation(truncating):
    docs = ["a b c d e f", "a b"]
    vec = TextVectorizer(sequence_length=2, truncating=truncating)
    ids = vec.fit_transform(docs)
    assert ids.max() == len(vec.tokens_) - 1  # every id occurs in the fitted output
    kept = {"a", "b"} if truncating == "post" else {"e", "f", "a", "b"}
    assert set(vec.tokens_[2:]) == kept


def test_character_split_keeps_spaces_and_decodes():
    vec = TextVectorizer(split="character", standardize="lower").fit(["ab a"])
    ids = vec.transform(["ab a"])
    assert vec.decode(ids) == ["ab a"]
    assert vec.vocabulary_["a"] == 2


@pytest.mark.parametrize(
    ("standardize", "token"),
    [("lower", "cat."), ("strip_punctuation", "Cat"), (None, "Cat."), (str.upper, "CAT.")],
)
def test_standardize_options(standardize, token):
    vec = TextVectorizer(standardize=standardize).fit(["Cat."])
    assert token in vec.vocabulary_


def test_ngrams_follow_unigrams():
    vec = TextVectorizer(ngrams=2, sequence_length=5).fit(["a b c"])
    assert vec.inverse_transform(vec.transform(["a b c"])) == [["a", "b", "c", "a b", "b c"]]


def test_max_tokens_and_min_frequency():
    vec = TextVectorizer(max_tokens=3).fit(["a a b"])
    assert vec.tokens_ == ["", "[UNK]", "a"]
    assert vec.vocabulary_size_ == 3
    vec = TextVectorizer(min_frequency=2).fit(["a a b"])
    assert "b" not in vec.vocabulary_


@pytest.mark.parametrize(
    "container",
    [list, np.array, pd.Series, lambda d: np.array(d, dtype=object)[:, None],
     lambda d: pd.DataFrame({"text": d})],
)
def test_accepts_list_array_series_and_column(container):
    vec = TextVectorizer().fit(DOCS)
    np.testing.assert_array_equal(vec.transform(container(DOCS)), vec.transform(DOCS))


def test_input_is_not_mutated():
    docs = np.array(DOCS, dtype=object)
    before = docs.copy()
    TextVectorizer().fit(docs).transform(docs)
    np.testing.assert_array_equal(docs, before)


def test_inverse_transform_and_decode():
    vec = TextVectorizer(sequence_length=4).fit(DOCS)
    assert vec.decode(vec.transform(["the cat zebra"])) == ["the cat [UNK]"]
    with pytest.raises(ValueError, match="outside the vocabulary"):
        vec.inverse_transform([[99]])
    with pytest.raises(ValueError, match="integer token ids"):
        vec.inverse_transform([[0.5]])


@pytest.mark.parametrize(
    ("bad", "exc", "match"),
    [
        ("just one string", TypeError, "not a single string"),
        (None, TypeError, "must be a list"),
        (["ok", None], TypeError, "item 1 is None"),
        (["ok", float("nan")], TypeError, "item 1 is NaN"),
        (["ok", 3], TypeError, "item 1 is of type int"),
        ([], ValueError, "at least one text"),
        (np.array([["a", "b"]]), ValueError, r"shape \(n, 1\)"),
        (pd.DataFrame({"a": ["x"], "b": ["y"]}), ValueError, "single text column"),
    ],
)
def test_bad_inputs_raise_clear_errors(bad, exc, match):
    with pytest.raises(exc, match=match):
        TextVectorizer().fit(bad)


@pytest.mark.parametrize(
    ("param", "value", "exc", "match"),
    [
        ("split", "sentence", ValueError, "`split` must be one of"),
        ("max_tokens", 2, ValueError, "`max_tokens` must be at least 3"),
        ("max_tokens", 0, ValueError, "`max_tokens` must be a positive integer"),
        ("sequence_length", 0, ValueError, "`sequence_length` must be a positive integer"),
        ("padding", "left", ValueError, "`padding` must be one of"),
        ("truncating", "mid", ValueError, "`truncating` must be one of"),
        ("standardize", "upper", ValueError, "`standardize` must be one of"),
        ("ngrams", 0, ValueError, "`ngrams` must be a positive integer"),
        ("min_frequency", 1.5, TypeError, "`min_frequency` must be a positive integer"),
    ],
)
def test_bad_params_raise_in_fit(param, value, exc, match):
    vec = TextVectorizer(**{param: value})  # __init__ never validates
    with pytest.raises(exc, match=match):
        vec.fit(DOCS)


def test_callable_standardize_must_return_str():
    with pytest.raises(TypeError, match="must return a string"):
        TextVectorizer(standardize=lambda s: 1).fit(DOCS)


def test_unfitted_transform_raises():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TextVectorizer().transform(DOCS)


def test_clone_and_pipeline_feature_names():
    vec = TextVectorizer(sequence_length=3)
    assert clone(vec).get_params() == vec.get_params()
    pipe = make_pipeline(TextVectorizer(sequence_length=3)).fit(DOCS)
    assert pipe.get_feature_names_out().tolist() == ["token_0", "token_1", "token_2"]


# sklearn's data-driven checks feed numeric matrices, which a text transformer rejects
# by design (TypeError naming the item). The API checks that apply are run here.
API_CHECKS = [
    ec.check_no_attributes_set_in_init,
    ec.check_get_params_invariance,
    ec.check_set_params,
    ec.check_estimator_cloneable,
    ec.check_estimator_repr,
    ec.check_do_not_raise_errors_in_init_or_set_params,
    ec.check_mixin_order,
    ec.check_valid_tag_types,
    ec.check_estimator_tags_renamed,
]


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_sklearn_api_checks(check):
    check("TextVectorizer", TextVectorizer())


def test_sklearn_parameters_default_constructible():
    ec.check_parameters_default_constructible("TextVectorizer", TextVectorizer())
