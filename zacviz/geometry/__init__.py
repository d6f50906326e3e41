"""zacviz.geometry."""
