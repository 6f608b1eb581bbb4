"""Authorization: the authority model (who may exercise which power) and the app's permissions."""
