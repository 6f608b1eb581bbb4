"""The words of a notice, in the reader's language (inbox, feed and e-mail say the same)."""

from __future__ import annotations

from registry.notifications.notices import Notice
from registry.web.i18n import gettext as _


def notice_title(notice: Notice) -> str:
    if notice.kind == "received":
        return _("You received grant #%(grant)s (%(power)s)") % {
            "grant": notice.lineage,
            "power": notice.power,
        }
    if notice.kind == "source_suspended":
        return _("Grant #%(source)s, a source of your grant #%(grant)s, was suspended") % {
            "source": notice.source,
            "grant": notice.lineage,
        }
    if notice.kind == "source_revoked":
        return _("Grant #%(source)s, a source of your grant #%(grant)s, was revoked") % {
            "source": notice.source,
            "grant": notice.lineage,
        }
    return _("Grant #%(grant)s (%(power)s) expires in %(days)s days or less") % {
        "grant": notice.lineage,
        "power": notice.power,
        "days": notice.days,
    }


def notice_body(notice: Notice, grant_url: str) -> str:
    lines = [
        notice_title(notice),
        _("Grantor: %(party)s") % {"party": notice.grantor},
        _("Grantee: %(party)s") % {"party": notice.grantee},
        grant_url,
    ]
    return "\n".join(lines)
