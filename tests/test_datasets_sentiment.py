"""load_sentiment on the shared UCI files and on small generated files."""

from __future__ import annotations

import pytest

from forecast.datasets import load_sentiment

FILES = ("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt")


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "sentiment_labelled_sentences"
    d.mkdir()
    for i, name in enumerate(FILES):
        text = f'Great "quote {i}.  \t1\r\nBad one, really.\t0\r\n'
        (d / name).write_bytes(text.encode())
    return d


def test_small_files(folder):
    df = load_sentiment(folder)
    assert list(df.columns) == ["text", "label", "source"]
    assert df.shape == (6, 3)
    assert df["source"].tolist() == ["amazon"] * 2 + ["imdb"] * 2 + ["yelp"] * 2
    assert df["label"].dtype == "int64"
    assert df["label"].tolist() == [1, 0] * 3
    assert df["text"].iloc[0] == 'Great "quote 0.'  # unbalanced quote kept, spaces stripped


def test_parent_folder_is_accepted(folder):
    assert len(load_sentiment(folder.parent)) == 6


def test_shared(shared_data):
    df = load_sentiment(shared_data / "text" / "sentiment_labelled_sentences")
    assert df.shape == (3000, 3)
    assert df.groupby("source").size().to_dict() == {"amazon": 1000, "imdb": 1000, "yelp": 1000}
    assert set(df["label"]) == {0, 1}
    assert not df["text"].str.contains("\t").any()


def test_errors(tmp_path, folder):
    with pytest.raises(FileNotFoundError, match="sentiment folder not found"):
        load_sentiment(tmp_path / "nope")
    for body, match in [
        ("no tab here\r\n", r"yelp_labelled.txt': line 1 has no TAB; each line must be "
                             r"'sentence<TAB>label'"),
        ("ok\t1\r\nfine\tmaybe\r\n", r"yelp_labelled.txt': labels must be 0 or 1; line 2 "
                                      r"has 'maybe'"),
        ("fine\t2\r\n", r"labels must be 0 or 1; line 1 has '2'"),
        ("a;1\r\n", r"line 1 has no TAB"),
        ("\t1\r\n", r"line 1 has an empty sentence"),
        ("", r"yelp_labelled.txt' holds no sentences"),
    ]:
        (folder / "yelp_labelled.txt").write_text(body)
        with pytest.raises(ValueError, match=match):
            load_sentiment(folder)
    (folder / "yelp_labelled.txt").write_text("tab\tinside\t1\r\n")  # split at the last TAB
    assert load_sentiment(folder)["text"].iloc[-1] == "tab\tinside"
    (folder / "imdb_labelled.txt").unlink()
    with pytest.raises(FileNotFoundError, match="imdb_labelled.txt"):
        load_sentiment(folder)
