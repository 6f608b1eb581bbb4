"""API tokens for the page tests (the security tests' fixture)."""

from tests.security.conftest import token_for

__all__ = ["token_for"]
