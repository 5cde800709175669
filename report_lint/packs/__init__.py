"""Rule packs: YAML files validated by pydantic models."""
