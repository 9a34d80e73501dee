"""Legacy API v1 (/v1/webinar/*): form-encoded, api_key/api_secret, over the v2 state."""
