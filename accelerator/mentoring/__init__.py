"""Mentoring: mentor profiles, matching, office hours, sessions."""
