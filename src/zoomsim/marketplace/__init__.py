"""The Marketplace API operations zoomsim serves: event subscriptions and webhook logs."""
