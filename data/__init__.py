"""The country's units, shipped inside kh as the package ``kh._units`` (see pyproject.toml)."""
