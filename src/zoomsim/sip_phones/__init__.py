"""sip_phones API family."""
