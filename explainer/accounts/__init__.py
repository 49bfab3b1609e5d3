"""Optional learner accounts, on django-allauth (settings: config/settings.py, "Learner accounts").

- `adapter.py`: how allauth fits this site: the client's address from the trusted proxy, passkeys as
  a way to sign in (not a second factor), staff kept to the admin's own sign-in, django-axes' name
  for an email sign-in.
- `merging.py`: signing in takes the browser's anonymous learner into the account's.
- `views.py`, `urls.py`: the account's own page under /accounts/ (allauth's pages live beside it).
- `handoff.py`, `handoff_views.py`: continuing on another device without an account.
"""
