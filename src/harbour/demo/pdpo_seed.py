"""Demo data of the PDPO register: an inventory of staff records, attendance and chat records with the
systems holding them, a PICS and a PPS published (the General Member has read the PICS), a consent, the
DingTalk processor entry with its audit clause missing, an approved transfer impact assessment, a GBA
standard contract record, an approved location-attendance assessment and the data-location record."""

from __future__ import annotations

import datetime as dt

from harbour.core.permissions import SystemActor
from harbour.core.time import today_in_hong_kong
from harbour.directory.models import Member
from harbour.pdpo import actions

PICS_EN = """## Personal Information Collection Statement (staff)

**Purposes.** We collect your personal data to administer your employment: payroll, attendance, MPF,
internal communication and IT security.

**Obligatory or voluntary.** Fields marked * are obligatory; without them we cannot employ or pay you.

**Transferees.** Payroll and MPF service providers; our collaboration suite (DingTalk), whose servers
may be outside Hong Kong; government bodies where the law requires.

**Access and correction.** You may ask for a copy of your data and its correction. Write to the Data
Protection Officer, Harbour Demo Trading Ltd, privacy@harbour-demo.com.hk.
"""

PICS_ZH = """## 收集個人資料聲明(員工)

**目的。** 我們收集你的個人資料以處理你的僱傭事宜:薪酬、考勤、強積金、內部通訊及資訊保安。

**必須或自願提供。** 標有 * 的資料必須提供;否則我們無法聘用你或向你支薪。

**承轉人類別。** 薪酬及強積金服務供應商;我們的協作平台(釘釘),其伺服器或位於香港以外;法律要求時的政府機構。

**查閱及更正。** 你可要求查閱及更正你的資料,請致函海港示範貿易有限公司資料保障主任:
privacy@harbour-demo.com.hk。
"""

PPS_EN = """## Privacy Policy Statement

We hold personal data of staff, job applicants and customers' contact persons, only for the purposes
we state when collecting it. We keep it no longer than needed (former staff: up to 7 years), protect
it with access control and encryption, and bind our processors by contract.
"""

PPS_ZH = """## 私隱政策聲明

我們持有員工、求職者及客戶聯絡人的個人資料,只作收集時所述的用途。資料保存期不超過所需(前員工:最多七年),以存取控制及加密保護,並以合約約束資料處理者。
"""


def seed_pdpo(system: SystemActor, it_head: Member, general: Member) -> None:
    """``it_head`` is an Administrator (approves the assessments the setup wrote); ``general`` reads the
    PICS and gives a consent."""
    dingtalk = actions.save_system(
        system,
        name="DingTalk",
        description="Chat, attendance and HR forms",
        kind_of_data="Staff contact details, chat messages and clock-in records; moderate harm if leaked.",
        storage_location="Alibaba Cloud data centres of the DingTalk entity's region.",
        equipment_security="Vendor-managed servers; company admins use MFA and company devices.",
        staff_integrity="Two IT administrators, vetted on hire, trained every quarter.",
        secure_transmission="TLS 1.2 or later between devices and the service.",
    )
    hr_drive = actions.save_system(
        system,
        name="HR shared drive",
        description="Contracts and payroll files",
        kind_of_data="HKID numbers, bank accounts, salaries: serious harm if leaked.",
        storage_location="Locked server room, Kwun Tong office.",
        equipment_security="Encrypted disks; nightly encrypted backup.",
        staff_integrity="HR team only; confidentiality undertakings signed.",
        secure_transmission="",
    )
    actions.save_category(
        system,
        name="Staff records",
        data_fields=["name", "HKID number", "address", "bank account", "salary", "emergency contact"],
        purposes=["employment administration", "payroll and MPF"],
        channel="form",
        obligatory=True,
        system_ids=[hr_drive.pk],
        storage_location="HR shared drive, Kwun Tong office",
        transferees=["payroll service provider", "MPF trustee", "Inland Revenue Department"],
        origin="hk",
        sensitivity="sensitive",
    )
    actions.save_category(
        system,
        name="Attendance",
        data_fields=["clock-in and clock-out time", "inside the office geofence (yes/no)"],
        purposes=["attendance and overtime pay"],
        channel="app",
        obligatory=True,
        system_ids=[dingtalk.pk],
        storage_location="DingTalk",
        transferees=["DingTalk (collaboration suite provider)"],
        origin="hk",
        sensitivity="normal",
    )
    actions.save_category(
        system,
        name="Chat records",
        data_fields=["messages", "files shared", "read receipts"],
        purposes=["internal communication", "record keeping"],
        channel="app",
        obligatory=False,
        system_ids=[dingtalk.pk],
        storage_location="DingTalk",
        transferees=["DingTalk (collaboration suite provider)"],
        origin="hk",
        sensitivity="normal",
    )

    pics = actions.save_notice(system, kind="pics", title="Staff PICS", body_en=PICS_EN, body_zh=PICS_ZH)
    pics = actions.publish_notice(it_head, pics)
    pps = actions.save_notice(system, kind="pps", title="Privacy Policy", body_en=PPS_EN, body_zh=PPS_ZH)
    actions.publish_notice(it_head, pps)
    actions.record_own_pics_view(general, pics)
    actions.record_notice_shown(
        it_head, pics, person_name="Tommy Ho (job applicant)", how="printed with the application form"
    )
    actions.record_consent(
        it_head,
        member_id=general.pk,
        purpose="Staff photo on the company website",
        action="grant",
        channel="written",
        note="Signed consent form, November 2026",
    )

    actions.save_processor(
        system,
        vendor="DingTalk",
        role="processor",
        contract_id="DingTalk Service Agreement 2026-HK-0142",
        clause_retention=True,
        clause_return_delete=True,
        clause_security=True,
        clause_breach_notice=True,
        clause_audit=False,
        clause_subprocessors=True,
        evidence="Service agreement and data processing addendum on the HR shared drive; no audit right yet.",
    )

    tia = actions.save_tia(
        system,
        title="Staff chat and attendance in DingTalk",
        processing_purpose="Internal communication and attendance for all staff; lawful and necessary.",
        data_scale="About 120 staff: names, contacts, messages, clock-in times; no HKID or health data.",
        recipient_capacity="Vendor holds ISO 27001; contract undertakes security and deletion on exit.",
        post_transfer_risk="Low-to-medium risk of leakage; staff complain via HR or the PCPD.",
        destination_law="Mainland DSL/PIPL may allow government access; sub-processors named in contract.",
        other_factors="Company admins use MFA; exports of chat are blocked.",
        risk="medium",
        clause_set="u2p",
        clause_reporting=True,
        clause_audit=False,
        clause_breach_notice=True,
        clause_cooperation=True,
        data_flow="Staff phones and PCs → DingTalk service → Alibaba Cloud storage in the entity's region.",
        vendor_entity="DingTalk (Singapore) Pte Ltd",
        vendor_region="Singapore, with mainland processing",
        review_on=today_in_hong_kong() + dt.timedelta(days=365),
    )
    actions.approve_tia(it_head, tia)

    contract = actions.save_gba(
        system,
        counterparty="Shenzhen Harbour Logistics Co., Ltd.",
        our_city="hong_kong",
        counterparty_city="shenzhen",
        note="Delivery contact names and phone numbers sent to the Shenzhen warehouse.",
    )
    actions.save_gba(system, contract, effective_on=today_in_hong_kong() - dt.timedelta(days=3))

    monitoring = actions.save_monitoring(
        system,
        feature="location_attendance",
        assessment="Sales staff clock in at client sites; needed to pay overtime fairly.",
        alternatives="Office staff use the door card; location is read only at clock-in, as inside/outside.",
        accountability="The HR Manager answers for the data; records kept 6 months.",
        clarity="Attendance policy v2 states the purposes, when location is read and what is kept.",
        communication="Announced two weeks before launch; explained at onboarding.",
        control="Used only for attendance and pay; erased after 6 months; HR and IT access only.",
    )
    actions.approve_monitoring(it_head, monitoring)

    actions.save_data_location(
        system,
        registration_location="Hong Kong (registered with a +852 number and company email)",
        storage_regions=["DingTalk: Singapore", "HR shared drive: Kwun Tong office"],
        third_party_access="DingTalk support (service agreement); the payroll provider (payroll files).",
        dingtalk_entity="singapore",
        entity_note="Registered with company email: served by DingTalk (Singapore) Pte Ltd.",
        data_region="Singapore",
    )
