"""zacviz.model."""
