"""Server-to-Server OAuth: the token endpoint."""
