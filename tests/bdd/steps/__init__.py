"""Step definitions by subject, loaded as plugins by ``tests/conftest.py``."""
