"""Configuration files and the bundled rule packs (package data, so `pip install` ships them)."""
