"""Fault injection: rules that make zoomsim misbehave on purpose, deterministically (issue 16)."""
