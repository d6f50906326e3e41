"""zacviz.ui."""
