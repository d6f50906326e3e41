"""zacviz.demo."""
