"""LTI 1.3: the quiz as a tool in course platforms (Moodle, Canvas...), with grades sent back.

- tool.py: pylti1p3 wired to this site (tool config from the database, launch data in the cache,
  one-time nonces, the cookie check page, frame-ancestors for registered platforms);
- keys.py: the tool's signing keys, their JWKS and their rotation;
- views.py: OIDC login, launch, JWKS, deep linking;
- rounds.py: `LtiOwner`, a launched learner's round on the round engine, and the score sent back.
"""
