import pytest

from mesoclinic.security.tests.matrix_world import reload_shipped_data


@pytest.fixture(autouse=True)
def shipped_data(request):
    """The bench builds on what the migrations ship (roles, formulary, rules, texts, the guide):
    loaded again when a transactional test earlier on this worker flushed it."""
    names = set(request.fixturenames)
    if not names & {"db", "transactional_db"} and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    reload_shipped_data()
