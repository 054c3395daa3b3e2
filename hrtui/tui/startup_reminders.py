"""Reminders when hrtui opens: the pop-up and the unread count in the roster's top line.

Once the first screen is on the terminal, a worker thread delivers the reminders due today to this user's inbox
(`hrtui.domain.reminders.refresh_inbox` — the same rows `hrtui remind --send` writes from cron, so nothing is shown
twice); the new ones pop up as one notification and the roster's top line shows the unread count. Kept apart from
the inbox screen so that starting hrtui loads no plan screens.
"""
from __future__ import annotations

from functools import partial

from hrtui.errors import UserError
from hrtui.i18n import register, t


def check_on_start(app) -> None:
    """Deliver today's reminders for the acting user in a worker; pop up the new ones."""
    app.run_worker(partial(_deliver, app), thread=True, group="reminders", exit_on_error=False)


def _deliver(app) -> None:
    from hrtui.domain import reminders as R
    from hrtui.domain.plans import org_today
    from hrtui.domain.portrait import close_thread_connection

    try:
        fresh = R.refresh_inbox(app.actor, org_today())
        lines = [d.text(app.lang, d.occurrence.on) for d in fresh]
        count = R.unread_count(app.actor)
    except UserError:
        return
    finally:
        close_thread_connection()
    app.call_from_thread(_announce, app, lines, count)


def _announce(app, lines: list[str], count: int) -> None:
    if lines:
        body = lines[0] if len(lines) == 1 else "\n".join(["• " + line for line in lines[:3]] +
                                                         ([t("inbox.more", app.lang, n=len(lines) - 3)]
                                                          if len(lines) > 3 else []))
        app.notify(body + "\n" + t("inbox.popup_hint", app.lang), title=t("inbox.popup_title", app.lang, n=len(lines)),
                   timeout=12, markup=False)
    show_count(app, count)


def show_count(app, count: int) -> None:
    """Show the unread count wherever it is shown (the roster's top line)."""
    for screen in app.screen_stack:
        if hasattr(screen, "show_reminder_count"):
            screen.show_reminder_count(count)


def count_text(count: int, lang: str) -> str:
    if not count:
        return ""
    return t("inbox.count_one", lang) if count == 1 else t("inbox.count", lang, n=count)


register(
    {"inbox.count": "{n} reminders", "inbox.count_one": "1 reminder",
     "inbox.popup_title": "New reminders: {n}", "inbox.popup_hint": "Ctrl+R opens your reminders.",
     "inbox.more": "… and {n} more"},
    {"inbox.count": "{n} 条提醒", "inbox.count_one": "1 条提醒",
     "inbox.popup_title": "{n} 条新提醒", "inbox.popup_hint": "按 Ctrl+R 查看你的提醒。",
     "inbox.more": "… 另有 {n} 条"},
)
