"""Parts of the settings model that `crypto_assets.environment` assembles: the deployment's
field group and the one mapping pydantic-settings reads."""
