"""An address book: a list of dicts with name and email."""


def find(contacts, name):
    """The contact with this name (case-insensitive), or None."""
    for contact in contacts:
        if contact["name"].lower() == name.lower():
            return contact
    return None


def email_of(contacts, name):
    """The contact's email, or None when there is no such contact."""
    contact = find(contacts, name)
    return contact["email"]


def domains(contacts):
    """Sorted set of email domains."""
    return sorted({contact["email"].split("@")[1] for contact in contacts})
