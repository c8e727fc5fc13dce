"""Aftercare's pages: thin views over `aftercare.services` and `aftercare.selectors`."""
