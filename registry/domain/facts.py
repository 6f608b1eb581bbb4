"""What an act, or a question about authority, concerns."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ActFacts:
    """The unit an act concerns, its sector, its type and its amount in VND (None: no amount)."""

    unit: str
    sector: str
    act_type: str
    amount: int | None = None

    def __post_init__(self) -> None:
        if self.amount is not None and self.amount < 0:
            raise ValueError(f"amount must not be negative, got {self.amount}")
