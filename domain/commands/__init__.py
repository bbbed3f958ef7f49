"""The application's verbs, grouped by capability."""
