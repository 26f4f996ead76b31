"""Demo content loader, run by `manage.py load_demo`. Filled in by the content work."""


def load(stdout, reset=False):
    pass
