"""Measure the mood classifier on the labelled sets.

    python tests/bench/mood_eval.py                 # figures for dev and eval
    python tests/bench/mood_eval.py --errors        # also list the DEV set's mistakes
    python tests/bench/mood_eval.py --lexicon-dir D # measure edited lexicon copies
    python tests/bench/mood_eval.py --learn         # retrain the [learned] back-off from the dev set

The eval set (tests/data/mood_eval.tsv) was written before any lexicon or rule
and is never used for tuning; that is why this script only ever lists the
mistakes of the dev set.  Tune on tests/data/mood_dev.tsv.
"""

from __future__ import annotations

import argparse
import collections
import math
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hrtui.domain.mood import (  # noqa: E402
    DATA_DIR, LABELS, NEGATIVE_LABELS, classify, clear_cache, learned_features, pause_banner, tokenize,
)

DEV = ROOT / "tests" / "data" / "mood_dev.tsv"
EVAL = ROOT / "tests" / "data" / "mood_eval.tsv"


def load_tsv(path: Path) -> list[tuple[str, str, str]]:
    """Rows (label, lang, text); '#' comment lines and the header are skipped."""
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in LABELS or parts[1] not in ("zh", "en"):
            raise ValueError(f"{path}:{lineno}: expected label<TAB>lang<TAB>text, got {line!r}")
        rows.append((parts[0], parts[1], parts[2]))
    return rows


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(rows, lexicon_dir=None, use_lang: bool = False) -> dict:
    """Per-class precision/recall/F1, macro-F1, accuracy, the banner's
    precision/recall (a hit = the banner on a line whose gold label is negative),
    per-language macro-F1, and the mistakes."""
    results = []
    for gold, lang, text in rows:
        res = classify(text, lang=lang if use_lang else None, lexicon_dir=lexicon_dir)
        results.append((gold, lang, text, res))

    def metrics(subset):
        per = {}
        for lab in LABELS:
            tp = sum(1 for g, _, _, r in subset if g == lab and r.label == lab)
            fp = sum(1 for g, _, _, r in subset if g != lab and r.label == lab)
            fn = sum(1 for g, _, _, r in subset if g == lab and r.label != lab)
            p, r, f = _prf(tp, fp, fn)
            per[lab] = {"precision": p, "recall": r, "f1": f,
                        "support": sum(1 for g, *_ in subset if g == lab)}
        macro = sum(per[lab]["f1"] for lab in LABELS) / len(LABELS)
        acc = sum(1 for g, _, _, r in subset if g == r.label) / len(subset) if subset else 0.0
        return per, macro, acc

    per, macro, acc = metrics(results)
    b_tp = sum(1 for g, _, _, r in results if pause_banner(r) and g in NEGATIVE_LABELS)
    b_fp = sum(1 for g, _, _, r in results if pause_banner(r) and g not in NEGATIVE_LABELS)
    b_fn = sum(1 for g, _, _, r in results if not pause_banner(r) and g in NEGATIVE_LABELS)
    bp, br, bf = _prf(b_tp, b_fp, b_fn)
    by_lang = {}
    for lg in ("zh", "en"):
        sub = [x for x in results if x[1] == lg]
        if sub:
            by_lang[lg] = metrics(sub)[1]
    errors = [(g, lg, t, r) for g, lg, t, r in results if g != r.label]
    return {
        "n": len(results), "per_class": per, "macro_f1": macro, "accuracy": acc,
        "banner": {"precision": bp, "recall": br, "f1": bf, "shown": b_tp + b_fp},
        "macro_f1_by_lang": by_lang, "errors": errors,
    }


def report(name: str, ev: dict) -> str:
    lines = [f"== {name}: {ev['n']} utterances"]
    lines.append(f"  {'class':<10} {'prec':>6} {'rec':>6} {'F1':>6} {'n':>5}")
    for lab in LABELS:
        m = ev["per_class"][lab]
        lines.append(f"  {lab:<10} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:5d}")
    by = "  ".join(f"{k} {v:.3f}" for k, v in ev["macro_f1_by_lang"].items())
    lines.append(f"  macro-F1 {ev['macro_f1']:.3f}   accuracy {ev['accuracy']:.3f}   (by language: {by})")
    b = ev["banner"]
    lines.append(f"  pause banner: precision {b['precision']:.3f}  recall {b['recall']:.3f}  "
                 f"(shown on {b['shown']} lines)")
    return "\n".join(lines)


def timing(rows, lexicon_dir=None, rounds: int = 3) -> float:
    """Mean milliseconds per classified line (lexicon already cached)."""
    classify("warm up", lexicon_dir=lexicon_dir)
    texts = [t for _, _, t in rows]
    start = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            classify(t, lexicon_dir=lexicon_dir)
    return (time.perf_counter() - start) * 1000 / (rounds * len(texts))


LEARN_ALPHA = 0.5      # additive smoothing
LEARN_MIN_COUNT = 2    # a feature must occur in at least this many dev lines
_LEARNED_HEADER = """[learned]
# Generated by `python tests/bench/mood_eval.py --learn` from tests/data/mood_dev.tsv
# (multinomial naive Bayes over tokens and token pairs; weights centred per feature).
# Do not edit by hand: add cues to the sections above instead.  Columns: feature {cols}
"""


def learn(rows) -> tuple[tuple[float, ...], dict[str, tuple[float, ...]]]:
    """Naive Bayes weights from labelled rows: a bias per class and, per feature,
    log P(feature|class) centred over the classes (same decisions, smaller file)."""
    counts = {lab: collections.Counter() for lab in LABELS}
    prior = collections.Counter()
    df = collections.Counter()
    for gold, _, text in rows:
        feats = learned_features(tokenize(text))
        prior[gold] += 1
        counts[gold].update(feats)
        df.update(feats)
    vocab = sorted(f for f, n in df.items() if n >= LEARN_MIN_COUNT)
    totals = {lab: sum(counts[lab][f] for f in vocab) for lab in LABELS}
    weights = {}
    for f in vocab:
        logp = [math.log((counts[lab][f] + LEARN_ALPHA) / (totals[lab] + LEARN_ALPHA * len(vocab)))
                for lab in LABELS]
        mean = sum(logp) / len(logp)
        w = tuple(round(v - mean, 2) for v in logp)
        if max(abs(v) for v in w) >= 0.05:
            weights[f] = w
    n = sum(prior.values())
    bias = tuple(round(math.log(prior[lab] / n), 3) for lab in LABELS)
    return bias, weights


def write_learned(bias, weights, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Replace the [learned] section of mood_zh.txt (features with Chinese
    characters) and mood_en.txt (the rest)."""
    cjk = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
    parts = {"mood_zh.txt": [], "mood_en.txt": []}
    for feat in sorted(weights):
        name = "mood_zh.txt" if cjk.search(feat) else "mood_en.txt"
        parts[name].append(f"{feat} " + " ".join(f"{v:g}" for v in weights[feat]))
    written = {}
    for name, lines in parts.items():
        path = data_dir / name
        text = path.read_text(encoding="utf-8")
        idx = text.find("\n[learned]\n")
        if idx >= 0:
            text = text[:idx + 1]
        elif not text.endswith("\n"):
            text += "\n"
        section = _LEARNED_HEADER.format(cols=" ".join(LABELS))
        section += "@bias " + " ".join(f"{v:g}" for v in bias) + "\n" + "\n".join(lines) + "\n"
        path.write_text(text + section, encoding="utf-8")
        written[name] = len(lines)
    clear_cache()
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="list the dev set's misclassified lines")
    ap.add_argument("--lexicon-dir", default=None, help="measure edited lexicon copies in DIR")
    ap.add_argument("--learn", action="store_true",
                    help="retrain the [learned] sections of hrtui/data/mood_*.txt from the dev set, then measure")
    args = ap.parse_args(argv)
    dev_rows, eval_rows = load_tsv(DEV), load_tsv(EVAL)
    if args.learn:
        bias, weights = learn(dev_rows)
        written = write_learned(bias, weights)
        print("learned features written: " + ", ".join(f"{k} {v}" for k, v in written.items()))
    dev = evaluate(dev_rows, args.lexicon_dir)
    ev = evaluate(eval_rows, args.lexicon_dir)
    print(report("dev   (tests/data/mood_dev.tsv)", dev))
    print(report("eval  (tests/data/mood_eval.tsv, never tuned on)", ev))
    ms = timing(dev_rows + eval_rows, args.lexicon_dir)
    print(f"speed: {ms * 1000:.0f} µs per line")
    target = ev["macro_f1"] >= 0.8 and ev["banner"]["precision"] >= 0.85
    print(f"eval target (macro-F1 >= 0.80, banner precision >= 0.85): {'met' if target else 'NOT met'}")
    if args.errors:
        print(f"\n-- dev mistakes ({len(dev['errors'])}):")
        for gold, lang, text, res in dev["errors"]:
            cues = " ".join(str(c) for c in res.cues) or "-"
            print(f"  {gold:>9} -> {res.label:<9} [{lang}] {text}    | {cues}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
