"""Pages of the notices: the in-app inbox and the private Atom feed of each account."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response, Template

from registry.accounts.authentication import actor_for_account
from registry.authz.guard import PUBLIC_ROUTE, actor_of, permission
from registry.authz.permissions import Action, Resource
from registry.grants.dashboard import acting_for
from registry.grants.views import load_names
from registry.notifications.feed import atom_feed, feed_token, token_holds
from registry.notifications.notices import notices_for
from registry.settings import Settings
from registry.web.i18n import gettext as _


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state["settings"]
    return settings


@get("/notifications", name="notifications:inbox", opt=permission(Resource.GRANTS, Action.GRANT))
async def inbox(request: Request[Any, Any, Any]) -> Template:
    """Grants received, sources suspended or revoked, grants about to expire; newest first."""
    actor = actor_of(request)
    now = datetime.now(UTC)
    notices = await notices_for((await acting_for(actor, now)).parties, now)
    names = await load_names({p for n in notices for p in (n.grantor, n.grantee)})
    feed_url = None
    if actor.account_id is not None:
        token = feed_token(_settings(request).session_secret(), actor.account_id)
        feed_url = request.app.route_reverse(
            "notifications:feed", account_id=actor.account_id, token=token
        )
    return Template(
        "dashboard/notifications.html",
        context={"notices": notices, "names": names, "feed_url": feed_url, "current_user": actor},
    )


@get(
    "/notifications/{account_id:int}/{token:str}/feed.atom",
    name="notifications:feed",
    opt=PUBLIC_ROUTE,
)
async def feed(
    request: Request[Any, Any, Any], account_id: FromPath[int], token: FromPath[str]
) -> Response[bytes]:
    """The same notices for a feed reader; the secret in the URL stands in for a session."""
    settings = _settings(request)
    actor = await actor_for_account(account_id)
    if actor is None or not token_holds(settings.session_secret(), account_id, token):
        raise NotFoundException()
    now = datetime.now(UTC)
    notices = await notices_for((await acting_for(actor, now)).parties, now)
    base = settings.public_base_url

    def grant_url(lineage: int) -> str:
        return base + request.app.route_reverse("public:grant", grant_id=lineage)

    body = atom_feed(
        notices,
        title=_("Notifications"),
        feed_url=base + request.url.path,
        updated=now,
        grant_url=grant_url,
    )
    return Response(
        body,
        media_type="application/atom+xml; charset=utf-8",
        headers={"Cache-Control": "private, no-store"},
    )


NOTIFICATION_ROUTES = [inbox, feed]
