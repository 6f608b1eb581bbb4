"""`POST /api/v1/check` answered without Litestar's router, for the requests that need nothing else.

Machine clients send this one request far more than any other, and for a well-formed, permitted
check Litestar's routing, exception layers, parameter extraction and response building cost more
CPU than the check itself (docs/authz.md §4b). The gateway (`registry/web/gateway.py`) has
already refused bad hosts and NUL bytes, named the request, set the language and found the actor;
this module then answers a check when all of these hold: the body is complete JSON of at most
`MAX_BODY` bytes with a JSON content type, the actor holds (check, read) by the same
`allows` rule the route's `PermissionMiddleware` applies, the body decodes into `CheckIn`, and the
check answers without raising. The answer is the route handler's own (`_check_one`), encoded as
Litestar encodes it. Anything else (a refusal, a bad body, a reason to answer 4xx) goes to the
Litestar route with the body replayed, so every error keeps one implementation and one format;
`tests/integration/authz/test_direct_check.py` compares both paths byte for byte.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.types import Receive, ReceiveMessage, Scope, Send

from registry.accounts.actor import Actor
from registry.authz.api import _check_one, check
from registry.authz.engine import POLICY_VERSION_SEEN
from registry.authz.guard import allows
from registry.authz.permissions import Action, Resource
from registry.authz.schemas import CheckIn
from registry.errors import RegistryError
from registry.web.raw_response import send_json

PATH = "/api/v1/check"
MAX_BODY = 64 * 1024
_decoder = msgspec.json.Decoder(CheckIn)
_encoder = msgspec.json.Encoder()
_JSON_TYPES = frozenset({b"application/json", b"application/json; charset=utf-8"})


def is_direct_check(scope: Scope, content_type: bytes) -> bool:
    """A request this module may try: the check route's method and path, a JSON body."""
    return (
        scope["path"] == PATH
        and scope.get("method") == "POST"
        and content_type.lower() in _JSON_TYPES
    )


async def read_body(receive: Receive) -> tuple[bytes | None, list[ReceiveMessage]]:
    """The whole body (None past `MAX_BODY` or on a disconnect) and the messages read, which
    the caller replays to the route when it does not answer itself."""
    messages: list[ReceiveMessage] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return None, messages
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None, messages
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), messages


def replaying(messages: list[ReceiveMessage], receive: Receive) -> Receive:
    """A `receive` that hands out the messages already read, then reads on."""
    pending = list(messages)

    async def receive_again() -> Any:
        if pending:
            return pending.pop(0)
        return await receive()

    return receive_again


async def answer(scope: Scope, body: bytes, send: Send) -> bool:
    """Answer the check if this request is an ordinary permitted one; False to leave it to the
    Litestar route (nothing has been sent then)."""
    actor: Actor = scope["state"]["actor"]
    if not allows(actor, Resource.CHECK, Action.READ):
        return False
    try:
        data = _decoder.decode(body)
    except msgspec.MsgspecError:
        return False
    try:
        result = await _check_one(data, scope["state"].get(POLICY_VERSION_SEEN))
    except RegistryError:
        return False
    scope["route_handler"] = check  # metrics label and audit, as for the route
    await send_json(send, 200, _encoder.encode(result))
    return True
