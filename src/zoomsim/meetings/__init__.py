"""Meetings API family: meetings, registration, polls, surveys, livestream, templates."""
