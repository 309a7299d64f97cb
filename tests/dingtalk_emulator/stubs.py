"""Shape-level stubs of product APIs (reference §3–§7, §13.11): right paths, parameters, caps, enums and
paging, with just enough state to read back what was written. Seed data with the ``add_*`` methods."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from tests.dingtalk_emulator import scopes
from tests.dingtalk_emulator.directory import Directory
from tests.dingtalk_emulator.envelopes import ApiError, OapiError
from tests.dingtalk_emulator.routing import Request, Route, route

WORK_DATE = "%Y-%m-%d %H:%M:%S"
TIME_RESULTS = ("Normal", "Early", "Late", "SeriousLate", "Absenteeism", "NotSigned")
APPROVERS = ("AND", "OR", "NONE")
CC_POSITIONS = ("START", "FINISH", "START_FINISH")
INSTANCE_STATUSES = ("RUNNING", "TERMINATED", "COMPLETED")


def _int(value: Any, name: str, *, default: int | None = None) -> int:
    if value is None or value == "":
        if default is None:
            raise ApiError(400, f"Missing{name}", f"{name} is mandatory for this action")
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "invalidParameter", f"{name} is not a number") from None


class Stubs:
    def __init__(self, directory: Directory, *, clock: Callable[[], float]):
        self.directory = directory
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        self.attendance_results: dict[tuple[str, str, str], str] = {}  # (userid, yyyy-mm-dd, checkType)
        self.instances: dict[str, dict[str, Any]] = {}
        self.spaces: dict[str, dict[str, Any]] = {}
        self.conferences: dict[str, dict[str, Any]] = {}
        self.file_audit_log: list[dict[str, Any]] = []
        self.oa_operator_log: list[dict[str, Any]] = []
        self.group_items: dict[tuple[str, str], list[dict[str, Any]]] = {}

    # --- seeding

    def add_file_audit(self, user_id: str, action: int, resource: str, **fields: Any) -> dict[str, Any]:
        record = {
            "userId": user_id,
            "action": action,
            "resource": resource,
            "platform": 2,
            "bizId": secrets.token_hex(8),
            "gmtCreate": int(self.clock() * 1000),
            **fields,
        }
        self.file_audit_log.append(record)
        self.file_audit_log.sort(key=lambda r: (r["gmtCreate"], r["bizId"]))
        return record

    def add_oa_log(self, op_user_id: str, content: str, **fields: Any) -> dict[str, Any]:
        record = {
            "opUserId": op_user_id,
            "opName": self.directory.users.get(op_user_id, {}).get("name", ""),
            "opTime": int(self.clock() * 1000),
            "category1Name": "Contacts",
            "category2Name": "Members",
            "content": content,
            **fields,
        }
        self.oa_operator_log.append(record)
        return record

    # --- attendance (§4)

    def attendance_list(self, req: Request) -> dict[str, Any]:
        params = req.params()
        try:
            start = datetime.strptime(str(params.get("workDateFrom")), WORK_DATE)
            end = datetime.strptime(str(params.get("workDateTo")), WORK_DATE)
        except ValueError:
            raise OapiError(40035, "workDateFrom/workDateTo must be yyyy-MM-dd HH:mm:ss") from None
        if end < start or end - start > timedelta(days=7):
            raise OapiError(40035, "the date range must be 7 days at most")
        users = params.get("userIdList")
        if not isinstance(users, list) or not users or len(users) > 50:
            raise OapiError(40035, "userIdList must hold 1 to 50 userids")
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 50)
        if limit > 50 or limit < 1 or offset < 0:
            raise OapiError(40035, "limit must be 1 to 50")
        records: list[dict[str, Any]] = []
        day = start.replace(hour=0, minute=0, second=0)
        while day <= end:
            if day.weekday() < 5:
                for userid in users:
                    if userid in self.directory.users:
                        records += [
                            self._punch(userid, day, "OnDuty", 9),
                            self._punch(userid, day, "OffDuty", 18),
                        ]
            day += timedelta(days=1)
        return {"hasMore": offset + limit < len(records), "recordresult": records[offset : offset + limit]}

    def _punch(self, userid: str, day: datetime, check_type: str, hour: int) -> dict[str, Any]:
        base = int(day.replace(hour=hour).timestamp() * 1000)
        result = self.attendance_results.get((userid, day.strftime("%Y-%m-%d"), check_type), "Normal")
        punch: dict[str, Any] = {
            "id": abs(hash((userid, base))) % 10**12,
            "groupId": 1,
            "planId": 1,
            "recordId": abs(hash((userid, base, 1))) % 10**12,
            "workDate": int(day.timestamp() * 1000),
            "userId": userid,
            "checkType": check_type,
            "timeResult": result,
            "locationResult": "NotSigned" if result == "NotSigned" else "Normal",
            "baseCheckTime": base,
            "sourceType": "ATM",
        }
        if result != "NotSigned":
            punch["userCheckTime"] = base + (15 * 60_000 if result in ("Late", "SeriousLate") else 0)
        return punch

    def group_items_route(self, kind: str, action: str) -> Callable[[Request], dict[str, Any]]:
        def handle(req: Request) -> dict[str, Any]:
            params = req.params()
            group_key = str(params.get("group_key") or "")
            if not group_key:
                raise OapiError(40035, "missing parameter group_key")
            items = self.group_items.setdefault((kind, group_key), [])
            key_name = "position_key" if kind == "positions" else "wifi_key"
            if action == "query":
                return {"result": {"has_more": False, "result": list(items)}}
            listed = params.get("position_list" if kind == "positions" else "wifi_list")
            if not isinstance(listed, list) or not 1 <= len(listed) <= 100:
                raise OapiError(40035, f"{kind} list must hold 1 to 100 items")
            success = []
            for entry in listed:
                if action == "add":
                    stored = {**entry, key_name: secrets.token_hex(6)}
                    items.append(stored)
                    success.append({"foreign_id": entry.get("foreign_id"), key_name: stored[key_name]})
                else:
                    items[:] = [i for i in items if i.get(key_name) != entry.get(key_name)]
                    success.append({key_name: entry.get(key_name)})
            return {"result": {"result": {"success_list": success, "failure_list": []}}}

        return handle

    # --- approvals (§5)

    def instance_create(self, req: Request) -> dict[str, Any]:
        body = req.json()
        originator, process_code = body.get("originatorUserId"), body.get("processCode")
        if not originator or originator not in self.directory.users:
            raise ApiError(400, "invalidParameter", "originatorUserId is not a member")
        if not isinstance(process_code, str) or not process_code.startswith("PROC-"):
            raise ApiError(400, "aflowProcessCodeIsError", "unknown processCode")
        for approver in body.get("approvers") or []:
            if approver.get("actionType") not in APPROVERS:
                raise ApiError(400, "invalidParameter", "actionType must be AND, OR or NONE")
        if body.get("ccPosition") is not None and body["ccPosition"] not in CC_POSITIONS:
            raise ApiError(400, "invalidParameter", "ccPosition must be START, FINISH or START_FINISH")
        values = body.get("formComponentValues")
        if not isinstance(values, list) or not all(
            isinstance(v, dict) and "name" in v and "value" in v for v in values
        ):
            raise ApiError(400, "invalidParameter", "formComponentValues need name and value")
        instance_id = secrets.token_urlsafe(12)
        tasks = [
            {"taskId": n + 1, "userId": u, "status": "RUNNING", "result": "NONE"}
            for n, u in enumerate(u for a in body.get("approvers") or [] for u in a.get("userIds", []))
        ]
        self.instances[instance_id] = {
            "title": f"{self.directory.users[originator]['name']}'s request",
            "status": "RUNNING",
            "businessId": str(len(self.instances) + 1).zfill(12),
            "originatorUserId": originator,
            "processCode": process_code,
            "createTime": datetime.fromtimestamp(self.clock()).strftime("%Y-%m-%dT%H:%MZ"),
            "formComponentValues": values,
            "operationRecords": [],
            "tasks": tasks,
        }
        return {"instanceId": instance_id}

    def instance_get(self, req: Request) -> dict[str, Any]:
        instance = self.instances.get(req.query.get("processInstanceId", ""))
        if instance is None:
            raise ApiError(400, "aflowProcessInstNotExist", "the process instance does not exist")
        return {"success": True, "result": {k: v for k, v in instance.items() if k != "processCode"}}

    def instance_terminate(self, req: Request) -> dict[str, Any]:
        instance = self.instances.get(str(req.json().get("processInstanceId") or ""))
        if instance is None:
            raise ApiError(400, "aflowProcessInstNotExist", "the process instance does not exist")
        instance["status"] = "TERMINATED"
        return {"success": True, "result": True}

    def instance_ids(self, req: Request) -> dict[str, Any]:
        body = req.json()
        if not body.get("processCode"):
            raise ApiError(400, "MissingprocessCode", "processCode is mandatory for this action")
        _int(body.get("startTime"), "startTime")
        size = _int(body.get("maxResults"), "maxResults")
        offset = _int(body.get("nextToken"), "nextToken")
        if not 1 <= size <= 20:
            raise ApiError(400, "invalidParameter", "maxResults must be 1 to 20")
        ids = [i for i, v in self.instances.items() if v["processCode"] == body["processCode"]]
        result: dict[str, Any] = {"list": ids[offset : offset + size]}
        if offset + size < len(ids):
            result["nextToken"] = str(offset + size)
        return {"success": True, "result": result}

    # --- drive (§6) and conferences (§7)

    def _union_user(self, unionid: Any) -> str:
        if not isinstance(unionid, str) or unionid not in self.directory.by_unionid:
            raise ApiError(400, "invalidParameter", "unionId is not a member")
        return unionid

    def space_create(self, req: Request) -> dict[str, Any]:
        body = req.json()
        owner = self._union_user(body.get("unionId"))
        if not body.get("name"):
            raise ApiError(400, "Missingname", "name is mandatory for this action")
        space_id = str(10**9 + len(self.spaces))
        self.spaces[space_id] = {
            "spaceId": space_id,
            "spaceName": body["name"],
            "spaceType": "org",
            "quota": 10 * 1024**3,
            "usedQuota": 0,
            "permissionMode": "acl",
            "createTime": datetime.fromtimestamp(self.clock()).strftime("%Y-%m-%dT%H:%MZ"),
            "_owner": owner,
        }
        return {k: v for k, v in self.spaces[space_id].items() if not k.startswith("_")}

    def space_list(self, req: Request) -> dict[str, Any]:
        self._union_user(req.query.get("unionId"))
        offset = _int(req.query.get("nextToken"), "nextToken", default=0)
        size = _int(req.query.get("maxResults"), "maxResults", default=50)
        spaces = [
            {k: v for k, v in s.items() if not k.startswith("_")}
            for s in self.spaces.values()
            if req.query.get("spaceType") in (None, "", s["spaceType"])
        ]
        body: dict[str, Any] = {"spaces": spaces[offset : offset + size]}
        if offset + size < len(spaces):
            body["nextToken"] = str(offset + size)
        return body

    def space_delete(self, req: Request) -> dict[str, Any]:
        self._union_user(req.query.get("unionId"))
        if self.spaces.pop(req.path_params["spaceId"], None) is None:
            raise ApiError(404, "spaceNotExist", "the space does not exist")
        return {}

    def conference_create(self, req: Request) -> dict[str, Any]:
        body = req.json()
        creator = self._union_user(body.get("userId"))
        if not body.get("confTitle"):
            raise ApiError(400, "MissingconfTitle", "confTitle is mandatory for this action")
        for invited in body.get("inviteUserIds") or []:
            self._union_user(invited)
        conference_id = secrets.token_hex(12)
        room = str(100000000 + len(self.conferences))
        self.conferences[conference_id] = {
            "conferenceId": conference_id,
            "title": body["confTitle"],
            "status": 0,
            "creatorId": creator,
            "startTime": int(self.clock() * 1000),
            "attendNum": 0,
            "roomCode": room,
            "invited": list(body.get("inviteUserIds") or []),
        }
        return {
            "conferenceId": conference_id,
            "roomCode": room,
            "externalLinkUrl": f"https://meeting.example.invalid/j/{room}",
            "phoneNumbers": [],
        }

    def conference_get(self, req: Request) -> dict[str, Any]:
        found = self.conferences.get(req.path_params["conferenceId"])
        if found is None:
            raise ApiError(404, "conferenceNotExist", "the conference does not exist")
        return {"confInfo": {k: v for k, v in found.items() if k not in ("roomCode", "invited")}}

    def conference_close(self, req: Request) -> dict[str, Any]:
        found = self.conferences.get(req.path_params["conferenceId"])
        if found is None:
            raise ApiError(404, "conferenceNotExist", "the conference does not exist")
        found.update(status=2, endTime=int(self.clock() * 1000))
        return {"code": 0, "cause": "ok"}

    # --- audit logs (§3)

    def file_audit_logs(self, req: Request) -> dict[str, Any]:
        query = req.query
        start, end = _int(query.get("startDate"), "startDate"), _int(query.get("endDate"), "endDate")
        size = _int(query.get("pageSize"), "pageSize")
        if not 1 <= size <= 500:
            raise ApiError(400, "invalidParameter", "pageSize must be 1 to 500")
        after: tuple[int, str] | None = None
        if query.get("nextGmtCreate"):
            after = (_int(query["nextGmtCreate"], "nextGmtCreate"), query.get("nextBizId", ""))
        found = [
            r
            for r in self.file_audit_log
            if start <= r["gmtCreate"] <= end and (after is None or (r["gmtCreate"], r["bizId"]) > after)
        ]
        return {"list": found[:size]}

    def oa_operator_logs(self, req: Request) -> dict[str, Any]:
        body = req.json()
        start, end = _int(body.get("startTime"), "startTime"), _int(body.get("endTime"), "endTime")
        page, size = _int(body.get("pageNumber"), "pageNumber"), _int(body.get("pageSize"), "pageSize")
        found = [
            r
            for r in self.oa_operator_log
            if start <= r["opTime"] <= end and body.get("opUserId") in (None, "", r["opUserId"])
        ]
        return {"itemCount": len(found), "data": found[(page - 1) * size : page * size]}

    def routes(self) -> list[Route]:
        paid = {"contacts": False}
        group_routes = [
            route(
                "POST",
                f"/topapi/attendance/group/{kind}/{action}",
                self.group_items_route(kind, action),
                **paid,
            )
            for kind in ("positions", "wifis")
            for action in ("add", "remove", "query")
        ]
        return [
            route("POST", "/attendance/list", self.attendance_list, **paid),
            *group_routes,
            route(
                "POST",
                "/v1.0/workflow/processInstances",
                self.instance_create,
                scope=scopes.WORKFLOW_WRITE,
                **paid,
            ),
            route(
                "GET",
                "/v1.0/workflow/processInstances",
                self.instance_get,
                scope=scopes.WORKFLOW_READ,
                **paid,
            ),
            route(
                "POST",
                "/v1.0/workflow/processInstances/terminate",
                self.instance_terminate,
                scope=scopes.WORKFLOW_WRITE,
                **paid,
            ),
            route(
                "POST",
                "/v1.0/workflow/processes/instanceIds/query",
                self.instance_ids,
                scope=scopes.WORKFLOW_READ,
                **paid,
            ),
            route("POST", "/v1.0/drive/spaces", self.space_create, **paid),
            route("GET", "/v1.0/drive/spaces", self.space_list, **paid),
            route("DELETE", "/v1.0/drive/spaces/{spaceId}", self.space_delete, **paid),
            route(
                "POST",
                "/v1.0/conference/videoConferences",
                self.conference_create,
                scope=scopes.CONFERENCE_WRITE,
                **paid,
            ),
            route("GET", "/v1.0/conference/videoConferences/{conferenceId}", self.conference_get, **paid),
            route(
                "DELETE",
                "/v1.0/conference/videoConferences/{conferenceId}",
                self.conference_close,
                scope=scopes.CONFERENCE_WRITE,
                **paid,
            ),
            route(
                "GET",
                "/v1.0/exclusive/fileAuditLogs",
                self.file_audit_logs,
                scope=scopes.FILE_AUDIT_READ,
                **paid,
            ),
            route("POST", "/v1.0/exclusive/oaOperatorLogs/query", self.oa_operator_logs, **paid),
        ]
