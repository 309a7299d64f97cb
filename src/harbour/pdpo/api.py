"""REST API v1 of the PDPO register: per register list, create and update; publishing notices and
recording who was shown a PICS; the consent ledger; approving transfer impact and monitoring assessments;
the company's data-location record; and, for every member, the current PICS."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from harbour.core.errors import NotFound
from harbour.pdpo import actions
from harbour.pdpo.models import (
    ConsentEntry,
    DataCategory,
    GbaContract,
    MonitoringAssessment,
    Notice,
    NoticeKind,
    NoticeShown,
    Processor,
    System,
    TransferAssessment,
)
from harbour.pdpo.queries import (
    S33_IN_FORCE,
    S33_REVIEWED,
    consent_states,
    current_notice,
    data_location,
    get_for,
    members_not_shown,
    shown_to_member,
    visible,
)
from harbour.pdpo.schemas import (
    ApproveIn,
    CategoryIn,
    CategoryOut,
    ConsentIn,
    ConsentOut,
    ConsentStateOut,
    CurrentPicsOut,
    GbaIn,
    GbaOut,
    LocationIn,
    LocationOut,
    MemberRef,
    MonitoringIn,
    MonitoringOut,
    NoticeIn,
    NoticeOut,
    ProcessorIn,
    ProcessorOut,
    ShownIn,
    ShownOut,
    SystemIn,
    SystemOut,
    TiaIn,
    TiaOut,
)

router = Router(tags=["PDPO register and requests"])
LIMIT = 500


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _changes(body: Any) -> dict[str, Any]:
    return dict(body.dict(exclude_unset=True))


# ------------------------------------------------------------------------------------------------ systems
@router.get("/pdpo/systems", response=list[SystemOut], summary="Systems holding personal data (DPP4)")
def list_systems(request: HttpRequest) -> Any:
    return list(visible(_actor(request), System)[:LIMIT])


@router.post("/pdpo/systems", response={201: SystemOut}, summary="Add a system and its security record")
def create_system(request: HttpRequest, body: SystemIn) -> Any:
    return 201, actions.save_system(_actor(request), **_changes(body))


@router.patch("/pdpo/systems/{system_id}", response=SystemOut, summary="Change a system's security record")
def update_system(request: HttpRequest, system_id: str, body: SystemIn) -> Any:
    actor = _actor(request)
    return actions.save_system(actor, get_for(actor, System, system_id, "system_id"), **_changes(body))


# ---------------------------------------------------------------------------------------------- inventory
@router.get("/pdpo/inventory", response=list[CategoryOut], summary="The data inventory")
def list_categories(request: HttpRequest) -> Any:
    return list(visible(_actor(request), DataCategory).prefetch_related("systems")[:LIMIT])


@router.post("/pdpo/inventory", response={201: CategoryOut}, summary="Add a data category")
def create_category(request: HttpRequest, body: CategoryIn) -> Any:
    return 201, actions.save_category(_actor(request), **_changes(body))


@router.patch("/pdpo/inventory/{category_id}", response=CategoryOut, summary="Change a data category")
def update_category(request: HttpRequest, category_id: str, body: CategoryIn) -> Any:
    actor = _actor(request)
    found = get_for(actor, DataCategory, category_id, "category_id")
    return actions.save_category(actor, found, **_changes(body))


# ------------------------------------------------------------------------------------------------ notices
@router.get("/pdpo/notices", response=list[NoticeOut], summary="PICS and PPS versions")
def list_notices(request: HttpRequest) -> Any:
    return list(visible(_actor(request), Notice)[:LIMIT])


@router.post("/pdpo/notices", response={201: NoticeOut}, summary="Write a new PICS or PPS version (a draft)")
def create_notice(request: HttpRequest, body: NoticeIn) -> Any:
    return 201, actions.save_notice(_actor(request), **_changes(body))


@router.patch("/pdpo/notices/{notice_id}", response=NoticeOut, summary="Change a draft notice")
def update_notice(request: HttpRequest, notice_id: str, body: NoticeIn) -> Any:
    actor = _actor(request)
    return actions.save_notice(actor, get_for(actor, Notice, notice_id, "notice_id"), **_changes(body))


@router.post(
    "/pdpo/notices/{notice_id}/publish",
    response=NoticeOut,
    summary="Publish it; the previous one is superseded",
)
def publish_notice(request: HttpRequest, notice_id: str) -> Any:
    actor = _actor(request)
    return actions.publish_notice(actor, get_for(actor, Notice, notice_id, "notice_id"))


@router.get("/pdpo/notices/{notice_id}/shown", response=list[ShownOut], summary="Who was shown this PICS")
def list_shown(request: HttpRequest, notice_id: str) -> Any:
    actor = _actor(request)
    notice = get_for(actor, Notice, notice_id, "notice_id")
    return list(visible(actor, NoticeShown).filter(notice=notice).select_related("notice")[:LIMIT])


@router.post(
    "/pdpo/notices/{notice_id}/shown",
    response={201: ShownOut},
    summary="Record that a member or a person outside Harbour was shown this PICS",
)
def record_shown(request: HttpRequest, notice_id: str, body: ShownIn) -> Any:
    actor = _actor(request)
    notice = get_for(actor, Notice, notice_id, "notice_id")
    return 201, actions.record_notice_shown(actor, notice, **body.dict())


@router.get("/pdpo/pics/not-shown", response=list[MemberRef], summary="Members never shown the current PICS")
def list_not_shown(request: HttpRequest) -> Any:
    actor = _actor(request)
    visible(actor, Notice)  # the permission gate
    return list(members_not_shown(actor.tenant_id)[:LIMIT])


@router.get("/pdpo/pics/current", response=CurrentPicsOut, summary="The current PICS, for any member")
def current_pics(request: HttpRequest) -> Any:
    actor = _actor(request)
    notice = current_notice(actor.tenant_id, NoticeKind.PICS)
    shown = shown_to_member(actor, notice) if notice is not None else None
    return {"notice": notice, "shown_at": shown.shown_at if shown else None}


@router.post("/pdpo/pics/current/seen", response=ShownOut, summary="Record that I have read the current PICS")
def seen_current_pics(request: HttpRequest) -> Any:
    actor = _actor(request)
    notice = current_notice(actor.tenant_id, NoticeKind.PICS)
    if notice is None:
        raise NotFound(_("no PICS is published"), field="notice_id")
    return actions.record_own_pics_view(actor, notice)


# ------------------------------------------------------------------------------------------------ consent
@router.get("/pdpo/consents", response=list[ConsentOut], summary="The consent ledger, newest first")
def list_consents(request: HttpRequest) -> Any:
    return list(visible(_actor(request), ConsentEntry)[:LIMIT])


@router.post("/pdpo/consents", response={201: ConsentOut}, summary="Record an express grant or withdrawal")
def create_consent(request: HttpRequest, body: ConsentIn) -> Any:
    return 201, actions.record_consent(_actor(request), **body.dict())


@router.get("/pdpo/consents/current", response=list[ConsentStateOut], summary="Current consent per person")
def current_consents(request: HttpRequest) -> Any:
    actor = _actor(request)
    visible(actor, ConsentEntry)
    return [
        {
            "member_id": s.member_id,
            "person_name": s.person_name,
            "purpose": s.purpose,
            "granted": s.granted,
            "since": s.latest.at,
        }
        for s in consent_states(actor.tenant_id)
    ]


# ----------------------------------------------------------------------------------- transfer assessments
@router.get("/pdpo/tias", response=list[TiaOut], summary="Transfer impact assessments")
def list_tias(request: HttpRequest) -> Any:
    return list(visible(_actor(request), TransferAssessment)[:LIMIT])


@router.post("/pdpo/tias", response={201: TiaOut}, summary="Write a transfer impact assessment (a draft)")
def create_tia(request: HttpRequest, body: TiaIn) -> Any:
    return 201, actions.save_tia(_actor(request), **_changes(body))


@router.patch(
    "/pdpo/tias/{tia_id}", response=TiaOut, summary="Change an assessment (approved: back to draft)"
)
def update_tia(request: HttpRequest, tia_id: str, body: TiaIn) -> Any:
    actor = _actor(request)
    return actions.save_tia(actor, get_for(actor, TransferAssessment, tia_id, "tia_id"), **_changes(body))


@router.post("/pdpo/tias/{tia_id}/approve", response=TiaOut, summary="Approve it (not its author)")
def approve_tia(request: HttpRequest, tia_id: str, body: ApproveIn) -> Any:
    actor = _actor(request)
    found = get_for(actor, TransferAssessment, tia_id, "tia_id")
    return actions.approve_tia(actor, found, approved_on=body.approved_on)


# ------------------------------------------------------------------------------------------- GBA contracts
@router.get("/pdpo/gba", response=list[GbaOut], summary="GBA standard contracts and their filing")
def list_gba(request: HttpRequest) -> Any:
    return list(visible(_actor(request), GbaContract)[:LIMIT])


@router.post("/pdpo/gba", response={201: GbaOut}, summary="Record a GBA contract; eligibility is checked")
def create_gba(request: HttpRequest, body: GbaIn) -> Any:
    return 201, actions.save_gba(_actor(request), **_changes(body))


@router.patch("/pdpo/gba/{contract_id}", response=GbaOut, summary="Change it: effective date, filing date…")
def update_gba(request: HttpRequest, contract_id: str, body: GbaIn) -> Any:
    actor = _actor(request)
    return actions.save_gba(actor, get_for(actor, GbaContract, contract_id, "contract_id"), **_changes(body))


# ---------------------------------------------------------------------------------------------- processors
@router.get("/pdpo/processors", response=list[ProcessorOut], summary="The processor register")
def list_processors(request: HttpRequest) -> Any:
    return list(visible(_actor(request), Processor)[:LIMIT])


@router.post("/pdpo/processors", response={201: ProcessorOut}, summary="Add a vendor")
def create_processor(request: HttpRequest, body: ProcessorIn) -> Any:
    return 201, actions.save_processor(_actor(request), **_changes(body))


@router.patch("/pdpo/processors/{processor_id}", response=ProcessorOut, summary="Change a vendor's record")
def update_processor(request: HttpRequest, processor_id: str, body: ProcessorIn) -> Any:
    actor = _actor(request)
    found = get_for(actor, Processor, processor_id, "processor_id")
    return actions.save_processor(actor, found, **_changes(body))


# ------------------------------------------------------------------------------------ monitoring assessments
@router.get("/pdpo/monitoring", response=list[MonitoringOut], summary="Monitoring assessments")
def list_monitoring(request: HttpRequest) -> Any:
    return list(visible(_actor(request), MonitoringAssessment)[:LIMIT])


@router.post("/pdpo/monitoring", response={201: MonitoringOut}, summary="Write a monitoring assessment")
def create_monitoring(request: HttpRequest, body: MonitoringIn) -> Any:
    return 201, actions.save_monitoring(_actor(request), **_changes(body))


@router.patch("/pdpo/monitoring/{assessment_id}", response=MonitoringOut, summary="Change an assessment")
def update_monitoring(request: HttpRequest, assessment_id: str, body: MonitoringIn) -> Any:
    actor = _actor(request)
    found = get_for(actor, MonitoringAssessment, assessment_id, "assessment_id")
    return actions.save_monitoring(actor, found, **_changes(body))


@router.post("/pdpo/monitoring/{assessment_id}/approve", response=MonitoringOut, summary="Approve it")
def approve_monitoring(request: HttpRequest, assessment_id: str, body: ApproveIn) -> Any:
    actor = _actor(request)
    found = get_for(actor, MonitoringAssessment, assessment_id, "assessment_id")
    return actions.approve_monitoring(actor, found, approved_on=body.approved_on)


# ------------------------------------------------------------------------------------------- data location
def _location_out(actor: Any) -> dict[str, Any]:
    location = data_location(actor.tenant_id)
    values: dict[str, Any] = {
        "registration_location": "",
        "storage_regions": [],
        "third_party_access": "",
        "dingtalk_entity": "",
        "entity_note": "",
        "data_region": "",
    }
    if location is not None:
        values = {name: getattr(location, name) for name in actions.LOCATION_FIELDS}
    return {
        **values,
        "s33_in_force": S33_IN_FORCE,
        "s33_reviewed": S33_REVIEWED,
        "recorded": location is not None,
    }


@router.get("/pdpo/location", response=LocationOut, summary="The company's data-location record")
def get_location(request: HttpRequest) -> Any:
    actor = _actor(request)
    visible(actor, System)
    return _location_out(actor)


@router.put("/pdpo/location", response=LocationOut, summary="Record where the company's data is")
def put_location(request: HttpRequest, body: LocationIn) -> Any:
    actor = _actor(request)
    actions.save_data_location(actor, **_changes(body))
    return _location_out(actor)
