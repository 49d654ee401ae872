"""When an article was last reviewed and when its next review is due."""

import calendar
import datetime

from .contract import REVIEW_INTERVAL_MONTHS


def parse_date(value):
    try:
        return datetime.datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # The same day of the month, or the month's last day (31 Jan + 1 month).
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def review_schedule(reviewed, review_due):
    """(last review, next review due) as dates, from the two fields' text.

    The next review is Review_due when given, else Reviewed plus
    REVIEW_INTERVAL_MONTHS; either is None when unknown or not a date.
    """
    last = parse_date(reviewed or "")
    due = parse_date(review_due or "")
    if due is None and last is not None:
        due = add_months(last, REVIEW_INTERVAL_MONTHS)
    return (last.date() if last else None), (due.date() if due else None)
