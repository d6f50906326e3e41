"""zacviz.rules."""
