"""The personal access tokens' pages."""
