"""Cross-cutting machinery of the request chain: tokens, scopes, rate limits, paging, validation."""
