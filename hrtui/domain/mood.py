"""Mood cues for interview note lines (standard library only).

An employee's line is scored against weighted zh/en lexicons for four classes:
irritated 烦躁, low 低落, resistant 抵触 and calm.  The lexicons are plain text
files (``hrtui/data/mood_zh.txt``, ``hrtui/data/mood_en.txt``) that HR admins can
edit; see docs/mood.md for the format.

How a line is scored
--------------------
1. Normalise: NFKC (full-width punctuation and letters become ASCII), lower
   case, straight quotes, English contractions expanded (``don't`` -> ``do not``,
   also the apostrophe-less typos ``dont``, ``im`` ...).
2. Tokenise: every CJK character is a token, every Latin word is a token,
   every punctuation mark is a token (a clause boundary).
3. Segment: one trie holds every lexicon phrase (cues, neutral phrases,
   negators, intensifiers, sarcasm markers, boundaries); the line is cut into
   non-overlapping matches that prefer the longest phrases.  Longest match is
   what keeps Chinese substring traps apart: 麻烦您 (polite) beats 烦
   (irritated), 不好意思 beats 不, 不想干 (a resistant cue) beats the negator 不,
   累计 beats 累.
4. Modify: a negator cancels a cue that starts within 3 tokens after it (no
   clause boundary between; two negators cancel each other: 没有不开心).  The
   cancelled cue gives a little weight to calm (``not upset`` reads calm) or,
   when the entry names one, to its flip class (``not fair`` -> resistant).
   ``don't`` opening a clause is an order, not a negation (``don't lecture
   me``).  An intensifier just before a cue multiplies its weight.  Cues before
   a contrast word (但是, but) count less: the clause after it carries the point.
5. Patterns: regular expressions from the ``[patterns]`` sections add weight,
   some only when the line is a question (rhetorical questions such as
   还按这个考我？ or ``how is that my fault?``).  A sarcasm marker (呵呵,
   ``oh great``) turns the calm cues of the line into irritated ones.
6. Decide: the label is the negative class with the highest score when that
   score beats calm's score (calm starts from a small prior); otherwise calm.
7. Back-off: when the hand lexicon found no evidence at all, the learned
   weights (the ``[learned]`` sections: naive Bayes over tokens and token pairs,
   trained on tests/data/mood_dev.tsv) may name a negative class when they are
   at least 70 % sure.  Their cues are shown with a leading "~".

``pause_banner`` is deliberately more conservative than the label: it needs a
clear lexicon score and a clear margin over calm (or a learned decision that is
at least 90 % sure), because a false alarm costs HR's trust.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

LABELS = ("irritated", "low", "resistant", "calm")
NEGATIVE_LABELS = ("irritated", "low", "resistant")
LABEL_NAMES = {
    "irritated": {"zh": "烦躁", "en": "irritated"},
    "low": {"zh": "低落", "en": "low"},
    "resistant": {"zh": "抵触", "en": "resistant"},
    "calm": {"zh": "平静", "en": "calm"},
}
BANNER_TEXT = {
    "zh": "暂停当前话题，先关注对方感受",
    "en": "Pause this topic: attend to how they feel first",
}

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEXICON_FILES = ("mood_zh.txt", "mood_en.txt")

# Decision constants (defaults; callers may pass their own from settings).
CALM_PRIOR = 0.9            # calm's score before any cue: one weak cue is not enough
NEGATED_TO_CALM = 0.6       # share of a cancelled negative cue that counts for calm
FLIP_SHARE = 1.0            # share of a negated cue that goes to its flip class
NEGATION_WINDOW = 3         # tokens between a negator and the cue it cancels
INTENSIFIER_WINDOW = 2      # tokens between an intensifier and the cue it boosts
BANNER_MIN_SCORE = 1.8      # the top negative class needs at least this score ...
BANNER_MIN_MARGIN = 1.0     # ... and this lead over calm to raise the pause banner
LEARNED_TEMPERATURE = 2.0   # softens the back-off's probabilities (naive Bayes is overconfident)
LEARNED_MIN_PROB = 0.7      # the learned back-off names a negative class only this sure
BANNER_LEARNED_MIN_PROB = 0.9   # ... and raises the banner only when this sure

# Negators used by the learned back-off's features (fixed, so the learned weights
# stay valid when an admin edits the [negators] sections).
_FEATURE_NEGATORS = frozenset({"not", "never", "no", "不", "没", "别", "无", "未"})

_SECTION_KINDS = {
    "irritated": "cue", "low": "cue", "resistant": "cue", "calm": "cue",
    "neutral": "neutral", "negators": "neg", "intensifiers": "int",
    "sarcasm": "sarc", "boundaries": "bound", "patterns": "pattern",
    "learned": "learned",
}


class LexiconError(ValueError):
    """A lexicon file could not be parsed; the message names file and line."""


# --------------------------------------------------------------------------- text

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_LATIN_WORD_RE = re.compile(r"[a-z]{2,}")
_TOKEN_RE = re.compile(rf"[a-z]+(?:'[a-z]+)*|[0-9]+(?:[.,][0-9]+)*%?|[{_CJK}]|[^\s\w]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"', "\u300c": '"', "\u300d": '"'})
# Whole-word spellings without apostrophes, common in quick typing.
_TYPO_WORDS = {
    "dont": ("do", "not"), "doesnt": ("does", "not"), "didnt": ("did", "not"),
    "cant": ("can", "not"), "cannot": ("can", "not"), "wont": ("will", "not"),
    "isnt": ("is", "not"), "arent": ("are", "not"), "wasnt": ("was", "not"),
    "werent": ("were", "not"), "havent": ("have", "not"), "hasnt": ("has", "not"),
    "hadnt": ("had", "not"), "couldnt": ("could", "not"), "wouldnt": ("would", "not"),
    "shouldnt": ("should", "not"), "aint": ("is", "not"), "im": ("i", "am"),
    "ive": ("i", "have"), "youre": ("you", "are"), "thats": ("that", "is"),
    "theyre": ("they", "are"), "whats": ("what", "is"), "lets": ("let", "us"),
    "gonna": ("going", "to"), "wanna": ("want", "to"), "pls": ("please",), "plz": ("please",),
    "u": ("you",), "ur": ("your",), "tbh": ("to", "be", "honest"), "idk": ("i", "do", "not", "know"),
}
_CONTRACTION_TAILS = {"m": ("am",), "re": ("are",), "ve": ("have",), "ll": ("will",),
                      "d": ("would",), "s": ("is",)}
_NOT_STEMS = {"ca": "can", "wo": "will", "ai": "is", "sha": "shall"}
_PUNCT_BOUNDARY = frozenset(",.!?;:。、，！？；：…~()[]{}\"'-—/|·")


def normalize(text: str) -> str:
    """NFKC, straight quotes, lower case, collapsed whitespace."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return " ".join(text.split())


def _expand_word(word: str) -> tuple[str, ...]:
    if "'" not in word:
        return _TYPO_WORDS.get(word, (word,))
    head, _, tail = word.partition("'")
    if tail == "t" and head.endswith("n"):
        stem = head[:-1]
        return (_NOT_STEMS.get(stem, stem), "not") if stem else ("not",)
    if tail in _CONTRACTION_TAILS:
        return (head,) + _CONTRACTION_TAILS[tail]
    return (head, tail) if head else (tail,)


def tokenize(text: str) -> list[str]:
    """Tokens of a normalised line: CJK characters, Latin words, punctuation."""
    out: list[str] = []
    for tok in _TOKEN_RE.findall(normalize(text)):
        if tok[0].isascii() and tok[0].isalpha():
            out.extend(_expand_word(tok))
        else:
            out.append(tok)
    return out


def detect_lang(text: str) -> str:
    """'zh' when Chinese characters carry the line, else 'en'."""
    cjk = len(_CJK_RE.findall(text))
    if not cjk:
        return "en"
    latin_words = len(_LATIN_WORD_RE.findall(text.lower()))
    return "zh" if cjk >= latin_words * 2 else "en"


def _is_cjk(tok: str) -> bool:
    return bool(_CJK_RE.match(tok))


def _join(tokens: Iterable[str]) -> str:
    """Render tokens back as readable text (no spaces between CJK characters)."""
    out = ""
    prev = ""
    for tok in tokens:
        if out and not (_is_cjk(tok) or _is_cjk(prev) or tok in _PUNCT_BOUNDARY):
            out += " "
        out += tok
        prev = tok
    return out


# ------------------------------------------------------------------------ lexicon

@dataclass(frozen=True)
class Entry:
    phrase: str
    kind: str                 # cue, neutral, neg, int, sarc, bound
    label: str | None = None  # class of a cue
    weight: float = 1.0       # cue weight; multiplier for intensifiers
    flip: str | None = None   # class a negated cue turns into (None: cancelled)
    source: str = ""          # "file:line"
    flip_weight: float | None = None  # weight when negated (default: the cue's weight)


@dataclass(frozen=True)
class Pattern:
    label: str
    weight: float
    question_only: bool
    regex: re.Pattern
    source: str


@dataclass
class Lexicon:
    trie: dict = field(default_factory=dict)
    patterns: list[Pattern] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    files: tuple[str, ...] = ()
    learned: dict[str, tuple[float, ...]] = field(default_factory=dict)
    learned_bias: tuple[float, ...] | None = None


_END = "\x00end"
_WILD = "\x00wild"


def _parse_line(line: str, section: str, where: str) -> Entry | Pattern:
    kind = _SECTION_KINDS[section]
    if kind == "pattern":
        parts = line.split(None, 2)
        if len(parts) < 3:
            raise LexiconError(f"{where}: a pattern needs 'label weight [q] regex': {line!r}")
        label, weight_s, rest = parts
        question_only = False
        if rest.startswith("q ") or rest.startswith("q\t"):
            question_only, rest = True, rest[2:].strip()
        if label not in LABELS and label != "sarcasm":
            raise LexiconError(f"{where}: unknown class {label!r} "
                               f"(use one of {', '.join(LABELS)}, sarcasm)")
        try:
            weight = float(weight_s)
            regex = re.compile(rest)
        except ValueError as exc:
            raise LexiconError(f"{where}: bad weight {weight_s!r}") from exc
        except re.error as exc:
            raise LexiconError(f"{where}: bad regular expression {rest!r}: {exc}") from exc
        return Pattern(label, weight, question_only, regex, where)

    parts = line.split()
    flip = None
    flip_weight = None
    if kind == "neg" and len(parts) > 1 and ":" in parts[-1]:
        # A refusal frame such as "not going to  resistant:1.5" negates what follows
        # and also counts for a class on its own.
        label, _, w = parts.pop().partition(":")
        if label not in LABELS:
            raise LexiconError(f"{where}: unknown class {label!r} in {line!r}")
        try:
            return Entry(" ".join(parts), kind, label, float(w), None, where)
        except ValueError as exc:
            raise LexiconError(f"{where}: bad weight {w!r}") from exc
    if len(parts) > 1 and parts[-1].startswith(">"):
        flip, _, fw = parts.pop()[1:].partition(":")
        if flip not in LABELS:
            raise LexiconError(f"{where}: unknown flip class {flip!r}")
        if fw:
            try:
                flip_weight = float(fw)
            except ValueError as exc:
                raise LexiconError(f"{where}: bad flip weight {fw!r}") from exc
    weight = 1.0
    if len(parts) > 1:
        try:
            weight = float(parts[-1])
            parts.pop()
        except ValueError:
            pass
    phrase = " ".join(parts)
    label = section if kind == "cue" else None
    if kind == "sarc":
        label = "irritated"
    return Entry(phrase, kind, label, weight, flip, where, flip_weight)


@dataclass
class ParsedLexicon:
    entries: list[Entry] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    learned: dict[str, tuple[float, ...]] = field(default_factory=dict)
    learned_bias: tuple[float, ...] | None = None


def _parse_learned(line: str, where: str, out: ParsedLexicon) -> None:
    parts = line.split()
    if len(parts) != 1 + len(LABELS):
        raise LexiconError(f"{where}: a learned line needs a feature and {len(LABELS)} weights "
                           f"({' '.join(LABELS)}): {line!r}")
    try:
        weights = tuple(float(v) for v in parts[1:])
    except ValueError as exc:
        raise LexiconError(f"{where}: bad weight in {line!r}") from exc
    if parts[0] == "@bias":
        out.learned_bias = weights
    else:
        out.learned[parts[0]] = weights


def parse_lexicon(text: str, name: str = "<lexicon>") -> ParsedLexicon:
    """Parse one lexicon file's text."""
    out = ParsedLexicon()
    section: str | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        where = f"{name}:{lineno}"
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            if section not in _SECTION_KINDS:
                raise LexiconError(f"{where}: unknown section [{section}] "
                                   f"(known: {', '.join(_SECTION_KINDS)})")
            continue
        if section is None:
            raise LexiconError(f"{where}: entry before any [section]")
        if section == "learned":
            _parse_learned(line, where, out)
            continue
        if section != "patterns" and " #" in line:
            line = line.split(" #", 1)[0].strip()
        item = _parse_line(line, section, where)
        (out.patterns if isinstance(item, Pattern) else out.entries).append(item)
    return out


def _phrase_tokens(phrase: str) -> list[tuple[str, bool]]:
    """Tokens of a lexicon phrase with a wildcard flag: a Latin word written
    with a trailing * (frustrat*) matches any word with that prefix."""
    out: list[tuple[str, bool]] = []
    for word in phrase.split():
        wild = word.endswith("*") and len(word) > 1
        toks = tokenize(word.rstrip("*"))
        for k, tok in enumerate(toks):
            out.append((tok, wild and k == len(toks) - 1 and not _is_cjk(tok)))
    return out


def build_lexicon(texts: list[tuple[str, str]]) -> Lexicon:
    """Build a lexicon from (name, text) pairs, in order (later entries win)."""
    lex = Lexicon(files=tuple(name for name, _ in texts))
    for name, text in texts:
        parsed = parse_lexicon(text, name)
        lex.entries.extend(parsed.entries)
        lex.patterns.extend(parsed.patterns)
        lex.learned.update(parsed.learned)
        if parsed.learned_bias is not None:
            lex.learned_bias = parsed.learned_bias
    if lex.learned and lex.learned_bias is None:
        raise LexiconError("learned weights without an @bias line")
    for entry in lex.entries:
        _insert_entry(lex.trie, entry)
    return lex


def _insert_entry(trie: dict, entry: Entry) -> None:
    tokens = _phrase_tokens(entry.phrase)
    if not tokens:
        raise LexiconError(f"{entry.source}: empty phrase {entry.phrase!r}")
    node = trie
    for tok, wild in tokens:
        if wild:
            lst = node.setdefault(_WILD, [])
            for prefix, child in lst:
                if prefix == tok:
                    node = child
                    break
            else:
                child = {}
                lst.append((tok, child))
                node = child
        else:
            node = node.setdefault(tok, {})
    node[_END] = entry   # a later line (or the later file) overrides an earlier one


_CACHE: dict[tuple, Lexicon] = {}
_CACHE_LOCK = threading.Lock()


def _lexicon_paths(lexicon_dir: str | os.PathLike | None) -> list[Path]:
    paths = []
    override = Path(lexicon_dir) if lexicon_dir else None
    if override is not None and not override.is_dir():
        raise LexiconError(f"lexicon directory not found: {override}")
    for name in LEXICON_FILES:
        if override is not None and (override / name).is_file():
            paths.append(override / name)
        else:
            paths.append(DATA_DIR / name)
    return paths


def load_lexicon(lexicon_dir: str | os.PathLike | None = None) -> Lexicon:
    """The lexicon from the bundled data files, or from *lexicon_dir* where it holds
    copies (a file missing there falls back to the bundled one).  Cached; a file
    whose modification time or size changed is re-read."""
    paths = _lexicon_paths(lexicon_dir)
    key_parts = []
    for p in paths:
        try:
            st = p.stat()
        except OSError as exc:
            raise LexiconError(f"cannot read lexicon {p}: {exc.strerror}") from exc
        key_parts.append((str(p), st.st_mtime_ns, st.st_size))
    key = tuple(key_parts)
    lex = _CACHE.get(key)
    if lex is not None:
        return lex
    with _CACHE_LOCK:
        lex = _CACHE.get(key)
        if lex is None:
            texts = []
            for p in paths:
                try:
                    texts.append((str(p), p.read_text(encoding="utf-8")))
                except (OSError, UnicodeDecodeError) as exc:
                    raise LexiconError(f"cannot read lexicon {p}: {exc}") from exc
            lex = build_lexicon(texts)
            if len(_CACHE) > 8:
                _CACHE.clear()
            _CACHE[key] = lex
    return lex


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


# ----------------------------------------------------------------------- classify

@dataclass(frozen=True)
class Cue:
    text: str      # the matched words as they read in the line (e.g. 不累, "not upset")
    label: str     # the class the cue counted for
    weight: float  # what it added to that class

    def as_dict(self) -> dict:
        return {"text": self.text, "label": self.label, "weight": round(self.weight, 3)}

    def __str__(self) -> str:
        return f"{self.text}({self.label})"


@dataclass
class MoodResult:
    label: str
    scores: dict[str, float]
    cues: list[Cue]
    negative: bool
    lang: str
    text: str = ""
    source: str = "lexicon"                    # "lexicon" or "learned" (the back-off decided)
    learned: dict[str, float] | None = None    # back-off probabilities when it was consulted

    def as_dict(self) -> dict:
        out = {
            "label": self.label,
            "negative": self.negative,
            "banner": pause_banner(self),
            "lang": self.lang,
            "source": self.source,
            "scores": {k: round(v, 3) for k, v in self.scores.items()},
            "cues": [c.as_dict() for c in self.cues],
        }
        if self.learned is not None:
            out["learned"] = {k: round(v, 3) for k, v in self.learned.items()}
        return out


def _matches_at(tokens: list[str], i: int, trie: dict) -> list[tuple[int, Entry]]:
    """Every lexicon entry that matches the tokens starting at *i*, as (end, entry)."""
    n = len(tokens)
    found = []
    stack = [(trie, i)]
    while stack:
        node, j = stack.pop()
        entry = node.get(_END)
        if entry is not None:
            found.append((j, entry))
        if j >= n:
            continue
        tok = tokens[j]
        child = node.get(tok)
        if child is not None:
            stack.append((child, j + 1))
        wild = node.get(_WILD)
        if wild and not _is_cjk(tok):
            for prefix, child in wild:
                if tok.startswith(prefix):
                    stack.append((child, j + 1))
    return found


def _segment(tokens: list[str], trie: dict) -> list[tuple[int, int, Entry]]:
    """Non-overlapping lexicon matches that cover the line best: the sum of the
    squared match lengths is maximal, so longer phrases win wherever they overlap
    (我不想干了 -> 不想干 rather than 不 + 想; 没有不开心 -> 没有 + 不开心); on a
    tie the leftmost match wins (培训我 -> 培训 + 我, not 培 + 训我)."""
    n = len(tokens)
    cands = [_matches_at(tokens, i, trie) for i in range(n)]
    best = [0] * (n + 1)
    choice: list[tuple[int, Entry] | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i], choice[i] = best[i + 1], None
        for end, entry in cands[i]:
            score = (end - i) ** 2 + best[end]
            if score > best[i] or (score == best[i] and (choice[i] is None or end > choice[i][0])):
                best[i], choice[i] = score, (end, entry)
    out = []
    i = 0
    while i < n:
        pick = choice[i]
        if pick is None:
            i += 1
        else:
            out.append((i, pick[0], pick[1]))
            i = pick[0]
    return out


def _is_question(tokens: list[str]) -> bool:
    if "?" in tokens:
        return True
    tail = [t for t in tokens if t not in _PUNCT_BOUNDARY]
    return bool(tail) and tail[-1] in ("吗", "么", "嘛")


# Words that may open a clause before an imperative "do not": "so don't blame support".
_DISCOURSE = frozenset({"so", "and", "then", "please", "just", "but", "oh", "well", "now", "look"})


def _is_imperative(lead: tuple[str, ...]) -> bool:
    """'do not' opening a clause ("don't lecture me", "please don't waste my time")
    is an order, not a negated statement: the cue after it keeps its class."""
    return bool(lead) and lead[-1] == "do" and all(t in _DISCOURSE for t in lead[:-1])


def learned_features(tokens: list[str]) -> set[str]:
    """Features of the learned back-off: every token and every pair of adjacent
    tokens within a clause; a token within 3 tokens after a negator gets an "N_"
    prefix.  tests/bench/mood_eval.py --learn trains on the same features."""
    out: set[str] = set()
    neg = 0
    prev = None
    for tok in tokens:
        if tok in _PUNCT_BOUNDARY:
            neg, prev = 0, None
            continue
        out.add(("N_" if neg else "") + tok)
        if prev is not None:
            out.add(prev + "|" + tok)
        prev = tok
        if tok in _FEATURE_NEGATORS:
            neg = 3
        elif neg:
            neg -= 1
    return out


def _learned_posterior(tokens: list[str], lex: Lexicon) -> tuple[dict[str, float], list[str]]:
    scores = dict(zip(LABELS, lex.learned_bias))
    present = []
    for feat in learned_features(tokens):
        w = lex.learned.get(feat)
        if w is not None:
            present.append(feat)
            for lab, v in zip(LABELS, w):
                scores[lab] += v
    # Naive Bayes is overconfident (its features are far from independent); a
    # temperature chosen by cross-validation on the dev set tempers it.
    top = max(scores.values())
    exp = {lab: math.exp((v - top) / LEARNED_TEMPERATURE) for lab, v in scores.items()}
    z = sum(exp.values())
    return {lab: v / z for lab, v in exp.items()}, present


def _feature_text(feat: str) -> str:
    neg = feat.startswith("N_")
    body = _join(feat[2:].split("|") if neg else feat.split("|"))
    return "~" + body


def classify(text: str, lang: str | None = None,
             lexicon_dir: str | os.PathLike | None = None,
             learned: bool = True) -> MoodResult:
    """Classify one utterance.  *lang* ('zh'/'en') is a hint that is reported in
    the result; both lexicons are always consulted because employees mix
    languages (这个KPI太unrealistic了).  When None it is detected.

    The hand-written lexicon decides whenever it finds evidence.  When it finds
    none (no cue at all, or only weak cues that lose to calm's prior) and
    *learned* is true, the learned back-off (``[learned]`` sections, weights
    learned from the dev set) may name a negative class if it is confident."""
    lex = load_lexicon(lexicon_dir)
    if lang not in ("zh", "en"):
        lang = detect_lang(text)
    tokens = tokenize(text)
    matches = _segment(tokens, lex.trie)

    is_boundary = [t in _PUNCT_BOUNDARY for t in tokens]
    contrasts: list[tuple[int, float]] = []   # (token index, factor for cues before it)
    for start, end, entry in matches:
        if entry.kind == "bound":
            for k in range(start, end):
                is_boundary[k] = True
            if entry.weight != 1.0:
                contrasts.append((start, entry.weight))

    found: list[tuple[int, Cue]] = []   # (token index, cue) from the lexicon
    sarcasm = False
    neg_end: int | None = None     # token index just after the negator in scope
    neg_start = 0
    neg_odd = False                # 没有不开心: two negators cancel each other
    int_end: int | None = None
    int_weight = 1.0
    clause_start = 0
    prev_end = 0
    for start, end, entry in matches:
        # A clause boundary since the previous match closes every open scope.
        gap_bounds = [k for k in range(prev_end, start) if is_boundary[k]]
        if gap_bounds:
            neg_end = int_end = None
            clause_start = gap_bounds[-1] + 1
        prev_end = end
        kind = entry.kind
        if kind == "bound":
            neg_end = int_end = None
            clause_start = end
            continue
        if kind == "neg":
            lead = tuple(tokens[clause_start:start])
            if entry.phrase == "not" and _is_imperative(lead):
                continue   # "don't lecture me" is an order, not a negated cue
            if neg_end is not None and start - neg_end <= NEGATION_WINDOW:
                neg_odd = not neg_odd
            else:
                neg_odd, neg_start = True, start
            neg_end = end
            if entry.label is not None:   # a refusal frame: "not going to", 没有理由
                found.append((start, Cue(_join(tokens[start:end]), entry.label, entry.weight)))
            continue
        if kind == "int":
            int_end, int_weight = end, entry.weight
            continue
        if kind == "neutral":
            neg_end = None
            continue
        words = _join(tokens[start:end])
        if kind == "sarc":
            sarcasm = True
            found.append((start, Cue(words, "irritated", entry.weight)))
            neg_end = None
            continue
        weight = entry.weight
        if int_end is not None and start - int_end <= INTENSIFIER_WINDOW:
            weight *= int_weight
        int_end = None
        negated = neg_end is not None and start - neg_end <= NEGATION_WINDOW and neg_odd
        neg_end = None
        if negated:
            shown = _join(tokens[neg_start:end])
            if entry.flip:
                base = entry.flip_weight if entry.flip_weight is not None else weight
                found.append((start, Cue(shown, entry.flip, base * FLIP_SHARE)))
            elif entry.label != "calm":
                found.append((start, Cue(shown, "calm", weight * NEGATED_TO_CALM)))
            continue
        found.append((start, Cue(words, entry.label, weight)))

    # "X可以，但目标得我来定" / "I'll think about it, but I'm not agreeing": what
    # follows a contrast (但是, but) carries the speaker's point.
    cues: list[Cue] = []
    for pos, cue in found:
        factor = 1.0
        for at, f in contrasts:
            if pos < at:
                factor *= f
        cues.append(cue if factor == 1.0 else Cue(cue.text, cue.label, cue.weight * factor))

    if lex.patterns:
        flat = _join(tokens)   # normalised, contractions expanded, CJK unspaced
        question = _is_question(tokens)
        for pat in lex.patterns:
            if pat.question_only and not question:
                continue
            m = pat.regex.search(flat)
            if m:
                label = "irritated" if pat.label == "sarcasm" else pat.label
                sarcasm = sarcasm or pat.label == "sarcasm"
                cues.append(Cue(m.group(0).strip() or pat.regex.pattern, label, pat.weight))

    if sarcasm:
        # 呵呵，挺好的 / "oh great, another target": praise in a sarcastic line is irritation.
        cues = [Cue(c.text, "irritated", c.weight) if c.label == "calm" else c for c in cues]

    scores = {label: 0.0 for label in LABELS}
    for cue in cues:
        scores[cue.label] += cue.weight
    scores["calm"] += CALM_PRIOR
    best = max(NEGATIVE_LABELS, key=lambda lab: (scores[lab], -NEGATIVE_LABELS.index(lab)))
    label = best if scores[best] > scores["calm"] else "calm"
    source = "lexicon"
    posterior = None
    if (learned and lex.learned and label == "calm"
            and not any(c.label == "calm" for c in cues)):
        posterior, present = _learned_posterior(tokens, lex)
        top = max(LABELS, key=lambda lab: posterior[lab])
        if top != "calm" and posterior[top] >= LEARNED_MIN_PROB:
            label, source = top, "learned"
            strongest = sorted(present, key=lambda f: -lex.learned[f][LABELS.index(top)])[:3]
            for feat in strongest:
                w = lex.learned[feat][LABELS.index(top)]
                if w > 0:
                    cues.append(Cue(_feature_text(feat), top, w))
    return MoodResult(label=label, scores=scores, cues=cues, negative=label != "calm",
                      lang=lang, text=text, source=source, learned=posterior)


def pause_banner(result: MoodResult, min_score: float = BANNER_MIN_SCORE,
                 min_margin: float = BANNER_MIN_MARGIN,
                 learned_min_prob: float = BANNER_LEARNED_MIN_PROB) -> bool:
    """Should the UI raise 暂停当前话题，先关注对方感受?  Conservative: a negative
    label with a clear lexicon score and a clear lead over calm, or a negative
    label from the learned back-off when it is very sure."""
    if not result.negative:
        return False
    if result.source == "learned":
        return result.learned is not None and result.learned[result.label] >= learned_min_prob
    top = result.scores[result.label]
    return top >= min_score and top - result.scores["calm"] >= min_margin


def banner_text(lang: str = "zh") -> str:
    return BANNER_TEXT.get(lang, BANNER_TEXT["en"])


def lexicon_phrases(lexicon_dir: str | os.PathLike | None = None) -> set[str]:
    """Every phrase in the lexicons, normalised (used by tests and the docs)."""
    return {normalize(e.phrase) for e in load_lexicon(lexicon_dir).entries}


# ---------------------------------------------------------------------------- CLI

def format_text(result: MoodResult) -> str:
    cues = " ".join(str(c) for c in result.cues) or "-"
    line = f"{result.label}  cues: {cues}"
    if pause_banner(result):
        line += f"  [{banner_text(result.lang)}]"
    return line


def _cmd_mood(args) -> int:
    import sys
    try:
        result = classify(args.text, lang=getattr(args, "lang", None), lexicon_dir=args.lexicon_dir)
    except LexiconError as exc:
        print(f"hrtui mood: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        print(format_text(result))
    return 0


def register(subparsers, common) -> None:
    """hrtui's command registry hook (hrtui/commands.py)."""
    add_parser(subparsers, common)


def add_parser(subparsers, common=None) -> None:
    """Register ``mood TEXT [--format text|json] [--lang zh|en] [--lexicon-dir DIR]``."""
    p = subparsers.add_parser(
        "mood", parents=[common] if common is not None else [],
        help="classify one employee line: irritated / low / resistant / calm",
        description="Score one utterance against the mood lexicons and print the class "
                    "and the cues that matched (use it to check a lexicon edit).",
    )
    p.add_argument("text", help="the utterance, in quotes")
    p.add_argument("--format", choices=("text", "json"), default="text")
    if common is None:  # the global options already define --lang
        p.add_argument("--lang", choices=("zh", "en"), default=None,
                       help="language hint (default: detected)")
    p.add_argument("--lexicon-dir", default=None, metavar="DIR",
                   help="directory holding edited copies of mood_zh.txt / mood_en.txt")
    p.set_defaults(func=_cmd_mood)
