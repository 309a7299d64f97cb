"""The SCIM 2.0 server (RFC 7643/7644) at ``/scim/v2``: an identity provider — Microsoft Entra ID's
provisioning above all — drives work accounts through Users and departments through Groups.

Every request carries a company's bearer token (``tokens``), acts as a system actor named after the token,
runs in one transaction, goes through the directory's and the lifecycle's actions (joiner, mover, leaver,
rehire), and leaves a one-request sync run in the HR imports report (``reports``).
"""
