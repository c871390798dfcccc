"""The port under abuse: connection limits (issue 15; docs/security.md, "Limits")."""
