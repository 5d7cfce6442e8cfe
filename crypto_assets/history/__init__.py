"""History: the coin universe of past days, archived posts and historical prices."""
