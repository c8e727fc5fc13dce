"""Staff pages that combine apps: the dashboard (clinics, patients and care's worklist), a
clinic's page (its staff and newest patients), the patient page (with care's panel), the
enquiries inbox (with the guide's concerns) and the audit log (filtered by clinic).

A face, above the apps it reads, so those apps never import upward to draw a page. Pages that
read one app alone stay in that app. URLs keep their paths and names (`dashboard`,
`clinics:detail`, `patients:detail`, `patients:enquiries`, `audit:list`): see `desk.urls`.
"""
