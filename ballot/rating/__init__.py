"""Annual quality ratings of party members and basic organisations, and targets 6 and 7."""
