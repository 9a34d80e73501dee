"""Events of the simulation's steps: started, participant joined/left, chat, ended."""
from __future__ import annotations

BUILDERS: dict = {}
STEP_BUILDERS: dict = {}
LOADERS: dict = {}
