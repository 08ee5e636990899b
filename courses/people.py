"""How people's names are shown."""

from .search import CJK_TEXT


def person_name(user) -> str:
    """A user's name as people write it: 王美玲 (family name first, no space) for Chinese
    names, "Yuraw Watan" otherwise; the username if no name is set."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last and CJK_TEXT.search(first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part) or user.get_username()
