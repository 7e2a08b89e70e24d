from . import rules


def navigation(request):
    """What the navigation bar may show to this user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "units": True,
            "people": True,
            "manage_units": rules.can_manage_unit_tree(user),
            "edit_people": rules.can_edit_people(user),
            "admin_site": user.is_superuser,
            "accounts": rules.can_manage_accounts(user),  # Quản trị: Tài khoản, Nhật ký hoạt động
            "unit_accounts": rules.can_view_accounts(user) and not rules.can_manage_accounts(user),
        }
    }
