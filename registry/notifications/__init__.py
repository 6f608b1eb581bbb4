"""Notices for leaders and registrars: in-app inbox, private Atom feed, e-mail once per notice."""
