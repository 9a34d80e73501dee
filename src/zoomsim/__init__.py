"""zoomsim: a stateful, self-hosted implementation of Zoom's REST APIs."""

__version__ = "0.1.0"
