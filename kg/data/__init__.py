"""Data files shipped with kg: gazetteers, patterns, organisation names."""
