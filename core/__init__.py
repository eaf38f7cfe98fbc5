"""Facts every layer shares (the bottom layer of the import-linter contracts in pyproject.toml)."""
