"""zacviz.io."""
