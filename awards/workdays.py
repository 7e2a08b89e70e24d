"""Working days: Monday–Friday, minus the public holidays configured as data (awards.PublicHoliday)."""

import datetime

from .models import PublicHoliday


def holidays_between(start, end):
    return set(PublicHoliday.objects.filter(date__gt=start, date__lte=end).values_list("date", flat=True))


def add_working_days(start, days):
    """The date that is `days` working days after `start` (start itself not counted)."""
    if days <= 0:
        return start
    # Enough calendar room for weekends and a long Tết break, fetched in one query.
    horizon = start + datetime.timedelta(days=days * 2 + 30)
    holidays = holidays_between(start, horizon)
    current, counted = start, 0
    while counted < days:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            counted += 1
    return current
