"""Output formats, each a consumer of the result model."""
