"""Small helpers shared by the service modules (schedules, day sets)."""

WD = "MO,TU,WE,TH,FR"
ALL7 = "MO,TU,WE,TH,FR,SA,SU"


def S(byday, opens, closes, **kw):
    """Weekly schedule. kw: valid_from, valid_to, loc (location id), note, note_fr."""
    return dict(freq="WEEKLY", byday=byday, opens=opens, closes=closes, **kw)


def M(byday, opens, closes, **kw):
    """Monthly schedule on an ordinal weekday, e.g. M("1SA", ...) = first Saturday."""
    return dict(freq="MONTHLY", byday=byday, opens=opens, closes=closes, **kw)


def MD(day, opens, closes, **kw):
    """Monthly schedule on a day of the month, e.g. MD(15, ...)."""
    return dict(freq="MONTHLY", bymonthday=day, opens=opens, closes=closes, **kw)


def H247(**kw):
    """Open 24 hours a day, 7 days a week (conventions §6: 00:00-00:00 means all day)."""
    return S(ALL7, "00:00", "00:00", **kw)


OFFICE = S(WD, "09:00", "17:00")
