"""Webhooks as Zoom sends them: event subscriptions, an outbox written with the change that
caused each event, signed deliveries after commit, retries on zoomsim's clock, and the log."""
