"""tracking_fields API family."""
