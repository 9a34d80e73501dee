"""Zoom Events API (/v2/zoom_events): hubs, events, sessions, tickets."""
