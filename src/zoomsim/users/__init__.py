"""Users API: every other resource hangs off a user."""
