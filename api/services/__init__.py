"""The use cases: one function per thing a user does, called alike by the
routes, the ``vpoints`` command and the demo. Each takes the running
``System`` and plain values, returns plain data or a domain result, and
raises domain errors (domain/errors.py); none knows of HTTP. A use case that
decides on the read models reads them through ``caught_up``."""
