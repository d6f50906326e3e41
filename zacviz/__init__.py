"""zacviz: prepare a building project on a business-park lot and check it."""

__version__ = "0.1.0"
