"""zacviz.export."""
