"""Design aids above the rules: templates and layout generators (no Qt).

A template lays out a project on a lot (building, car park, yard) from the
lot's geometry and its rules, so it sits above ``geometry`` and ``rules``.
"""
