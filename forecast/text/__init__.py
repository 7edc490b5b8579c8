"""Text preprocessing for the recurrent estimators (pure Python/NumPy, no TensorFlow).

- :class:`TextVectorizer`: strings -> padded integer token ids (0 = padding, 1 = OOV).
- :class:`NGramLanguageModel`: interpolated Kneser-Ney n-gram model, the perplexity
  baseline of :class:`forecast.estimators.TextGenerator`.
- :func:`make_date_pairs`: synthetic date-normalisation pairs for sequence-to-sequence models.
"""

from __future__ import annotations

from ._dates import make_date_pairs
from ._ngram import NGramLanguageModel
from ._vectorizer import TextVectorizer

__all__ = ["TextVectorizer", "NGramLanguageModel", "make_date_pairs"]
