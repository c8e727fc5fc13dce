"""Workflow for the clinical pathway: each function is one transaction, checks who may act,
validates, writes and audits. Views and the API call these, never the models directly."""
