"""Demo data of policies: the Employee Conduct Policy from Harbour's default text, published to everyone by
the IT Manager and acknowledged by about two thirds of the company (the General Member login still has it
to do), and a workplace monitoring policy waiting as a draft."""

from __future__ import annotations

from harbour.core.permissions import SystemActor
from harbour.directory.models import Member, MemberState
from harbour.policies.actions import (
    acknowledge,
    create_default_conduct_policy,
    create_document,
    draft_version,
    publish_version,
)
from harbour.policies.models import PolicyKind

MONITORING_EN = """\
## 1. Purposes

We monitor the use of Harbour only to keep company and customer information secure, to meet our legal
record-keeping duties, to investigate reported misconduct or security incidents, and to record attendance.

## 2. When and how monitoring happens

- Sign-ins are checked for new devices, unusual networks and bursts of failed attempts, at every sign-in.
- Attendance records the time of clock-in and clock-out; location is checked only at those moments, as
  "inside or outside the office area", never continuously and never outside working hours.
- Chat and file records are kept as business records. They are opened for review only by IT compliance,
  for a stated investigation, with the reason written in the operation log.

## 3. Kinds of data collected

Sign-in times, devices and network addresses; attendance times and the office-area result; business chat
messages, files and meeting records; the operation log of administrative actions.

## 4. Permitted uses

The data is used only for the purposes above or directly related ones. It is kept for the periods in the
company's retention schedule and then erased; it is kept longer only as evidence in proceedings. Access is
limited to the people whose role needs it. Questions: contact IT compliance.
"""

MONITORING_ZH = """\
## 1. 目的

我們只為保障公司及客戶資料安全、履行法定的紀錄保存責任、調查已報告的不當行為或保安事故，
以及記錄考勤，監察 Harbour 的使用。

## 2. 何時及如何監察

- 每次登入時，系統會檢查新裝置、異常網絡及連續登入失敗。
- 考勤只記錄上班及下班打卡時間；位置只在打卡一刻檢查，結果只顯示「是否在辦公範圍內」，
  不會持續追蹤，亦不會在工作時間以外追蹤。
- 聊天及檔案紀錄作為業務紀錄保存，只有 IT 合規部門可為已說明理由的調查開啟審閱，
  理由會寫入操作日誌。

## 3. 收集的資料種類

登入時間、裝置及網絡地址；考勤時間及辦公範圍結果；業務聊天訊息、檔案及會議紀錄；管理操作的操作日誌。

## 4. 准許的用途

資料只用於上述或直接相關的目的，按公司的保存期限保存後刪除；只有作為法律程序的證據時才會保存較長時間。
只有工作需要的人員可存取。如有查詢，請聯絡 IT 合規部門。
"""


def seed_policies(system: SystemActor, it_head: Member, general: Member) -> None:
    """``it_head`` (an Administrator) publishes the conduct policy; everyone but ``general`` and every third
    member acknowledges it."""
    conduct = create_default_conduct_policy(it_head)
    published = publish_version(it_head, conduct, deadline_days=14, scope_all=True)
    members = list(
        Member.objects.for_tenant(system.tenant_id)
        .filter(state__in=[MemberState.ACTIVE, MemberState.INVITED])
        .order_by("employee_number", "id")
    )
    for index, member in enumerate(members):
        if member.pk != general.pk and index % 3 != 2:
            acknowledge(member, published)

    monitoring = create_document(it_head, kind=PolicyKind.MONITORING, name="Workplace monitoring policy")
    draft_version(
        it_head,
        monitoring,
        title_en="Workplace monitoring policy",
        title_zh="工作場所監察政策",
        body_en=MONITORING_EN,
        body_zh=MONITORING_ZH,
        change_summary="First version: purposes, when and how, kinds of data, permitted uses.",
    )
