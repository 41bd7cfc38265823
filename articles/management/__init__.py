from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from articles import workflow


def acting_user(username):
    """Who a command acts as: the user named with `--user`, or the server's operator (`workflow.COMMAND`)."""
    if not username:
        return workflow.COMMAND
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user named {username!r}.", returncode=2) from None
