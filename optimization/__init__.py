"""Decisions: the siting / PPA / timing linear program and what is built on it."""
