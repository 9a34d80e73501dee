"""Simulation: running meetings so that live-only operations and, later, past-meeting data work."""
