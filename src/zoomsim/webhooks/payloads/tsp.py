"""user.tsp_* events: a user's TSP (telephony service provider) accounts."""
from __future__ import annotations

BUILDERS: dict = {}
STEP_BUILDERS: dict = {}
LOADERS: dict = {}
