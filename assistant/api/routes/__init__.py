"""Route modules, one per concept; `app.py` includes them."""
