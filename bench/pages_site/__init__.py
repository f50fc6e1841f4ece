"""What bench/pages.py serves through gunicorn: the console's settings and URLs plus a trivial view, mounted
only here (never in console/urls.py)."""
