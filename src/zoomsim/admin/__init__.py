"""The admin API under /_zoomsim/: reset, tenants, apps and the clock, for tests and scripts."""
