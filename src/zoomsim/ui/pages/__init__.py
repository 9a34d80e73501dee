"""One module per dashboard page (or family of pages); each lists its routes in ROUTES."""
