"""`hrtui portrait EMPLOYEE` and `hrtui attention`: the portrait and the needs-attention list for scripts and cron.

Both print what the screens show, computed by the same functions (`portrait()`, `attention()`). Text output pads
CJK by terminal cells; JSON output is the functions' own dataclasses, unrounded.
Module-level imports stay light: the domain is imported only when a command runs.
"""
from __future__ import annotations

import json
import sys


def register(sub, common) -> None:
    p = sub.add_parser("portrait", parents=[common],
                       help="an employee's portrait: gaps, key shortfalls, signals, goals")
    p.add_argument("employee", metavar="EMPLOYEE", help="employee number (or exact name)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_portrait)

    p = sub.add_parser("attention", parents=[common],
                       help="employees in your scope with at least one key shortfall, most severe first")
    p.add_argument("--department", metavar="CODE", help="only this department")
    p.add_argument("--dimension", metavar="CODE", help="only flags on this dimension (e.g. CSAT)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_attention)


def _num(x: float | None, places: int = 1) -> str:
    return "—" if x is None else f"{x:.{places}f}"


def _pct(x: float | None) -> str:
    if x is None:
        return "—"
    return "0%" if round(x) == 0 else f"{x:+.0f}%"


def render_portrait_text(p, lang: str) -> str:
    from hrtui.cells import pad
    from hrtui.i18n import t

    e = p.employee
    lines = [f"{e.number}  {e.name_zh} {e.name_en}".rstrip()
             + f"  {e.department_code or '—'} {e.department(lang)}  {e.position(lang)}".rstrip()]
    lines.append(t("portrait.cli.window", lang, first=p.window[0], last=p.window[-1], n=len(p.window),
                   team=p.team_size))
    if p.team_note:
        lines.append(p.team_note)
    lines.append("")
    head = [(t("portrait.col.dimension", lang), 22, False), (t("portrait.col.value", lang), 7, True),
            (t("portrait.col.team", lang), 7, True), (t("portrait.col.req", lang), 7, True),
            (t("portrait.col.gap_team", lang), 8, True), (t("portrait.col.gap_req", lang), 8, True),
            (t("portrait.col.months", lang), 6, True), (t("portrait.col.flag", lang), 4, True)]
    lines.append(" ".join(pad(h, w, r) for h, w, r in head).rstrip())
    for d in p.dimensions:
        cells = [d.name, _num(d.value), _num(d.team_mean), _num(d.requirement), _pct(d.gap_team_pct),
                 _pct(d.gap_requirement_pct), f"{d.months_with_data}/{len(p.window)}", "!" if d.flagged else ""]
        lines.append(" ".join(pad(c, w, r) for c, (_h, w, r) in zip(cells, head)).rstrip())
    lines.append("")
    lines.append(t("portrait.cli.shortfalls", lang) if p.key_shortfalls else t("portrait.cli.no_shortfalls", lang))
    for i, d in enumerate(p.shortfalls, 1):
        lines.append(f"  {i}. {d.explanation}  [{t('portrait.severity', lang)} {d.severity:.1f}"
                     f"{'σ' if d.severity_basis == 'z' else '×'}]")
    lines.append(t("portrait.cli.signals", lang) if p.signals else t("portrait.cli.no_signals", lang))
    for s in p.signals:
        lines.append(f"  - {s.sentence}")
    if p.goals_visible:
        lines.append(t("portrait.cli.goals_saved" if p.goals_saved else "portrait.cli.goals_suggested", lang))
        for i, g in enumerate(p.goals, 1):
            lines.append(f"  {i}. {g.text(lang)}")
    return "\n".join(lines)


def render_attention_text(result, lang: str) -> str:
    from hrtui.cells import pad
    from hrtui.i18n import t

    head = [(t("attention.col.number", lang), 9, False), (t("attention.col.name", lang), 14, False),
            (t("attention.col.department", lang), 6, False), (t("attention.col.dimension", lang), 12, False),
            (t("attention.col.value", lang), 7, True), (t("attention.col.team", lang), 7, True),
            (t("attention.col.req", lang), 7, True), (t("attention.col.severity", lang), 8, True)]
    lines = [" ".join(pad(h, w, r) for h, w, r in head).rstrip()]
    for row in result.rows:
        for f in row.flags:
            sev = f"{f.severity:.1f}{'σ' if f.severity_basis == 'z' else '×'}"
            cells = [row.number, row.name(lang), row.department_code or "—", f.code, _num(f.value),
                     _num(f.team_mean), _num(f.requirement), sev]
            lines.append(" ".join(pad(c, w, r) for c, (_h, w, r) in zip(cells, head)).rstrip())
    lines.append(t("attention.cli.count", lang, n=len(result.rows), first=result.window[0], last=result.window[-1]))
    return "\n".join(lines)


def cmd_portrait(args) -> int:
    from hrtui.cli import open_session, ui_lang
    from hrtui.domain.portrait import portrait

    actor = open_session(args)
    lang = ui_lang(args, actor)
    p = portrait(actor, args.employee, lang)
    if args.format == "json":
        json.dump(p.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(render_portrait_text(p, lang))
    return 0


def cmd_attention(args) -> int:
    from hrtui.cli import open_session, ui_lang
    from hrtui.domain.attention import attention

    actor = open_session(args)
    lang = ui_lang(args, actor)
    result = attention(actor, args.department, args.dimension, lang=lang)
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(render_attention_text(result, lang))
    return 0
