"""The `assistant` command line (also `python -m assistant`)."""
