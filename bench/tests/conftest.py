# The bench builds on what the migrations ship, as the seeds do: the same fixture.
from mesoclinic.seed.tests.conftest import shipped_data  # noqa: F401
