"""Console pages of the directory: org chart, members, roles, the company profile and operators' companies.

Every view parses a form, asks a gate for the object (missing and forbidden both answer 404) and calls
one action. A refused action shows its message next to the field it names, with status 400, and has
changed nothing (actions are atomic). Buttons appear only when the actor may use them.
"""
