"""Demo data of announcements: "Company devices only from 1 January" sent to everyone (four parts in English
and Chinese) and read by about two thirds of the company, a phishing drill notice scheduled for the Sales
subtree next Monday morning, and an incomplete draft about the password manager (Chinese parts and the IT
contact still to write)."""

from __future__ import annotations

import datetime as dt

from harbour.announcements.actions import (
    choose_language,
    create_announcement,
    mark_read,
    schedule_announcement,
    send_announcement,
)
from harbour.announcements.models import Delivery
from harbour.core.permissions import SystemActor
from harbour.core.time import HONG_KONG, today_in_hong_kong
from harbour.directory.models import Department, Member

IT_CONTACT_EN = "IT Service Desk — ext. 2100, it.support@demo-trading.com.hk (Mon–Fri 09:00–18:00)"
IT_CONTACT_ZH = "資訊科技服務台 — 內線 2100，it.support@demo-trading.com.hk（星期一至五 09:00–18:00）"


def seed_announcements(system: SystemActor, it_head: Member) -> None:
    """Written by the IT Manager (an Administrator, who holds ``announcement.manage``)."""
    tenant_id = system.tenant_id
    members = list(Member.objects.for_tenant(tenant_id).order_by("employee_number", "id"))
    # Some members chose the language they read announcements in; the rest get both.
    for index, member in enumerate(members):
        if index % 5 == 1:
            choose_language(member, "zh-hant")
        elif index % 5 == 3:
            choose_language(member, "en")

    today = today_in_hong_kong()
    new_year = dt.date(today.year + 1, 1, 1)
    devices = create_announcement(
        it_head,
        title=f"Company devices only from 1 January {new_year.year}",
        title_zh=f"{new_year.year}年1月1日起只限使用公司裝置",
        background_en=(
            "Customer and payroll data has been found on personal phones and home computers. To meet our "
            "obligations under the Personal Data (Privacy) Ordinance, work accounts will only be usable from "
            "devices registered with IT."
        ),
        background_zh=(
            "我們發現客戶及薪酬資料被存放於私人手機及家用電腦。為符合《個人資料（私隱）條例》的責任，"
            "工作帳戶將只可在已向資訊科技部登記的裝置上使用。"
        ),
        effective_date=new_year,
        consequences_en=(
            "Sign-ins from unregistered devices will be refused and logged as security incidents. Copying "
            "company data to personal devices may lead to disciplinary action under the staff handbook."
        ),
        consequences_zh="未登記裝置的登入將被拒絕並記錄為保安事故。將公司資料複製到私人裝置可能導致按員工手冊紀律處分。",
        it_contact_en=IT_CONTACT_EN,
        it_contact_zh=IT_CONTACT_ZH,
    )
    send_announcement(it_head, devices)
    deliveries = Delivery.objects.for_tenant(tenant_id).filter(announcement=devices).select_related("member")
    for index, delivery in enumerate(deliveries.order_by("member_name", "id")):
        if index % 3 != 2 and delivery.member is not None:  # about two in three have read it
            mark_read(delivery.member, delivery)

    sales = Department.objects.for_tenant(tenant_id).get(name="Sales", parent__isnull=True)
    monday = today + dt.timedelta(days=7 - today.weekday())
    drill = create_announcement(
        it_head,
        title="Phishing drill for the Sales teams",
        title_zh="銷售團隊釣魚電郵演習",
        background_en=(
            "Sales staff receive the most external email; a simulated phishing email will test how we "
            "respond."
        ),
        background_zh="銷售同事接收最多外部電郵；我們將發出模擬釣魚電郵，測試大家的應變。",
        effective_date=monday,
        consequences_en=(
            "Anyone who enters their password on the drill page must complete the security training again "
            "within 14 days."
        ),
        consequences_zh="在演習頁面輸入密碼的同事須於14日內重新完成保安培訓。",
        it_contact_en=IT_CONTACT_EN,
        it_contact_zh=IT_CONTACT_ZH,
        audience="departments",
        department_ids=[sales.pk],
    )
    schedule_announcement(it_head, drill, at=dt.datetime.combine(monday, dt.time(9, 30), tzinfo=HONG_KONG))

    create_announcement(
        it_head,
        title="Password manager for every member",
        background_en=(
            "Shared spreadsheets of passwords are being retired in favour of the company password manager."
        ),
        effective_date=dt.date(today.year + 1, 3, 1),
        consequences_en="Passwords kept outside the password manager after the effective date will be reset.",
    )
