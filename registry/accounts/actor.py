"""Who is acting: an account with roles per unit, or the system itself (demo, imports)."""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.domain.units import UnitTree


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or machine) behind a request, with what they may do where."""

    username: str
    roles: tuple[tuple[str, str], ...] = ()
    official_code: str | None = None
    #: For API tokens: check, read or write. None for browser sessions (roles decide).
    token_scope: str | None = None
    account_id: int | None = None
    language: str = "vi"
    extra: dict[str, str] = field(default_factory=dict)

    def has_role(self, role: str) -> bool:
        return any(r == role for r, _ in self.roles)

    @property
    def is_admin(self) -> bool:
        return self.has_role("admin")

    def role_units(self, role: str) -> list[str]:
        return [unit for r, unit in self.roles if r == role]

    def may_act_for_unit(self, role: str, unit: str, tree: UnitTree) -> bool:
        """A role held in unit X covers every unit in X's subtree; `*` covers all."""
        return any(
            domain == "*" or tree.is_within(unit, domain) for domain in self.role_units(role)
        )


SYSTEM = Actor(username="system", roles=(("admin", "*"),))
PUBLIC = Actor(username="", roles=())
