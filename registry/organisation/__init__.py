"""Units, positions, officials, assignments and instruments: the facts grants stand on."""
