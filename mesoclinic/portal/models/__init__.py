"""The portal's own records (each slice's models in a module of their own)."""

from mesoclinic.portal.models.requests import DataRequest  # noqa: F401 (slice: my data)
from mesoclinic.portal.models.signin import SignInAttempt  # noqa: F401
