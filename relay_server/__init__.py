"""Skytill's relay: the multi-tenant cloud service tills and managers sync through."""
