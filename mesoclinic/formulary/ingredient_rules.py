"""The screening rules that name an ingredient, shown beside it (the products page, the
ingredient admin).

The rules are care's, a layer above the formulary, so the formulary never reads them itself:
care hands over its reader when it starts (`care.apps.CareConfig.ready` calls `provide`), and
the formulary only asks. Without a reader an ingredient shows no rules.
"""

from collections.abc import Callable

#: The one reader: ingredient code -> the rules limited to cocktails containing it.
_readers: list[Callable[[], dict[str, list]]] = []


def provide(reader: Callable[[], dict[str, list]]) -> None:
    """Set the reader (called once, by care at start-up; a second call replaces it)."""
    _readers[:] = [reader]


def by_ingredient() -> dict[str, list]:
    """Ingredient code -> the active screening rules limited to cocktails containing it."""
    return _readers[0]() if _readers else {}
