"""Coverage of powers over units: holders, gaps, overlaps and other findings at an instant."""
