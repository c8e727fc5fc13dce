from mesoclinic.accounts.roles import can_use_staff_pages, is_administrator


def roles(request):
    """Navigation flags for templates; role lookups are cached on the user (one query)."""
    user = getattr(request, "user", None)
    return {
        "is_administrator": bool(user) and is_administrator(user),
        "is_staff_member": bool(user) and can_use_staff_pages(user),
    }
