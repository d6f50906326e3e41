"""The trade-fair kiosk: a fullscreen touch shell over the core (:mod:`.shell`).

``config``, ``stats``, ``idle``, ``gestures`` and ``session`` are Qt-free (an
import-linter contract keeps them so); the rest are PySide6 views.
"""
