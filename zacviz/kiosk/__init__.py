"""zacviz.kiosk."""
