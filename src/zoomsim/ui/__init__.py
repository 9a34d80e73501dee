"""The dashboard at /_zoomsim/ui/: server-rendered pages over the same storage the API uses.

Everything a page shows is read from the database at request time (never one worker's memory),
so any worker of a scaled-out server renders the same page."""
