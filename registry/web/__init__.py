"""Web helpers shared by the feature controllers and templates: i18n, formatting."""
