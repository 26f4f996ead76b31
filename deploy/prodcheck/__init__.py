"""`make prod-check`: see __main__.py."""
