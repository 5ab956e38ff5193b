"""The seed plans, shipped inside kh as the package ``kh._seeds`` for ``kh demo`` (see pyproject.toml)."""
