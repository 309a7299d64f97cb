"""Every write to procurement data. Views, API and the demo seed call these and nothing else."""

from harbour.procurement.actions.decisions import propose_verdict, sign_off
from harbour.procurement.actions.partner_lists import import_partner_list
from harbour.procurement.actions.quotes import create_quote, record_support_test, update_quote
from harbour.procurement.actions.resellers import (
    create_reseller,
    record_sla,
    record_sla_download,
    update_reseller,
    verify_certificate,
)

__all__ = [
    "create_quote",
    "create_reseller",
    "import_partner_list",
    "propose_verdict",
    "record_sla",
    "record_sla_download",
    "record_support_test",
    "sign_off",
    "update_quote",
    "update_reseller",
    "verify_certificate",
]
