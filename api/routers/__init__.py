"""One router per concern; `all_routers()` lists them for the app."""
