"""tsp API family."""
