"""The ``Emulator``: composes the directory, tokens, gateway, robot, events and stubs behind one HTTP port,
and offers tests seeding, inspection and failure injection without API calls."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from tests.dingtalk_emulator.contact_api_routes import contact_api_routes
from tests.dingtalk_emulator.crypto import CallbackCipher
from tests.dingtalk_emulator.directory import ROOT, Directory
from tests.dingtalk_emulator.directory_routes import directory_routes
from tests.dingtalk_emulator.envelopes import Response
from tests.dingtalk_emulator.events import EventBus
from tests.dingtalk_emulator.gateway import CallRecord, Gateway, InjectedFailure
from tests.dingtalk_emulator.robot import RobotWebhook
from tests.dingtalk_emulator.role_routes import role_routes
from tests.dingtalk_emulator.roles import RoleBook
from tests.dingtalk_emulator.routing import Request, Route, Router, route
from tests.dingtalk_emulator.server import HttpServer
from tests.dingtalk_emulator.throttle import MonthlyQuota, SlidingWindow
from tests.dingtalk_emulator.tokens import TokenStore


class Emulator:
    def __init__(
        self,
        appkey: str = "dingappkey",
        appsecret: str = "dingsecret",
        corp_id: str = "dingcorp",
        *,
        corp_name: str = "Emulated Corp",
        qps_per_api: int | None = 20,
        token_lifetime: int = 7200,
        scopes: Iterable[str] | None = None,
        visible_dept_ids: Iterable[int] | None = None,
        monthly_quota: int | None = None,
        robot_token: str | None = None,
        robot_secret: str | None = None,
        robot_keywords: Iterable[str] = (),
        robot_ip_whitelist: Iterable[str] = (),
        robot_per_minute: int = 20,
        robot_penalty_seconds: float = 600,
        callback_url: str | None = None,
        callback_token: str | None = None,
        callback_aes_key: str | None = None,
        max_depth: int = 15,
        clock: Callable[[], float] = time.time,
        seed: int = 0,
    ):
        self.appkey, self.appsecret, self.corp_id = appkey, appsecret, corp_id
        self.clock = clock
        self.scopes: set[str] | None = set(scopes) if scopes is not None else None
        self._lock = threading.Lock()
        self.bus = EventBus(corp_id=corp_id, owner_key=appkey, clock=clock)
        self.bus.configure(callback_url, callback_token, callback_aes_key)
        self.callback_token, self.callback_aes_key = callback_token, callback_aes_key
        self.directory = Directory(
            corp_name=corp_name,
            emit=self.bus.emit,
            clock=clock,
            max_depth=max_depth,
            visible_dept_ids=visible_dept_ids,
            seed=seed,
        )
        self.roles = RoleBook(self.directory)
        self.directory.removal_hooks.append(self.roles.forget_user)
        self.tokens = TokenStore(token_lifetime, clock)
        self.window = SlidingWindow(qps_per_api)
        self.quota = MonthlyQuota(monthly_quota, clock)
        self.robot = RobotWebhook(
            token=robot_token,
            secret=robot_secret,
            keywords=robot_keywords,
            ip_whitelist=robot_ip_whitelist,
            per_minute=robot_per_minute,
            penalty_seconds=robot_penalty_seconds,
            clock=clock,
        )
        router = Router()
        self.gateway = Gateway(
            router=router,
            tokens=self.tokens,
            appkey=appkey,
            window=self.window,
            quota=self.quota,
            granted=self.granted,
        )
        from tests.dingtalk_emulator.token_routes import token_routes

        router.add(*token_routes(self.tokens, appkey, appsecret))
        router.add(*directory_routes(self.directory, self.roles, self.granted))
        router.add(*role_routes(self.roles))
        router.add(*contact_api_routes(self.directory))
        router.add(*self.robot.routes())
        router.add(*self._callback_routes())
        router.add(*self._extra_routes())
        self._http = HttpServer(self.dispatch)
        self.url = ""

    def _extra_routes(self) -> list[Route]:
        try:
            from tests.dingtalk_emulator.stubs import Stubs
        except ImportError:
            return []
        self.stubs = Stubs(self.directory, clock=self.clock)
        return self.stubs.routes()

    def _callback_routes(self) -> list[Route]:
        def failed_result(req: Request) -> dict[str, Any]:
            items, more = self.bus.take_failures()
            return {"has_more": more, "failed_list": items}

        return [route("GET|POST", "/call_back/get_call_back_failed_result", failed_result)]

    # --- serving

    def dispatch(self, request: Request) -> Response:
        with self._lock:
            return self.gateway.handle(request)

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self.url = self._http.start(host, port)
        return self.url

    def stop(self) -> None:
        self._http.stop()
        self.bus.stop()

    def __enter__(self) -> Emulator:
        if not self.url:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- configuration

    def granted(self, scope: str) -> bool:
        return self.scopes is None or scope in self.scopes

    @property
    def qps_per_api(self) -> int | None:
        return self.window.limit

    @qps_per_api.setter
    def qps_per_api(self, limit: int | None) -> None:
        self.window.limit = limit

    @property
    def visible_dept_ids(self) -> set[int] | None:
        return self.directory.visible_dept_ids

    @visible_dept_ids.setter
    def visible_dept_ids(self, dept_ids: Iterable[int] | None) -> None:
        self.directory.visible_dept_ids = set(dept_ids) if dept_ids is not None else None

    def set_callback(self, url: str | None, token: str | None = None, aes_key: str | None = None) -> None:
        self.callback_token, self.callback_aes_key = token, aes_key
        self.bus.configure(url, token, aes_key)

    # --- seeding (no events, no throttling)

    def add_department(self, name: str, parent_id: int = ROOT, **fields: Any) -> int:
        with self._lock:
            return self.directory.create_department(
                {"name": name, "parent_id": parent_id, **fields}, emit=False
            )

    def add_user(
        self,
        name: str,
        mobile: str,
        dept_ids: Iterable[int] = (ROOT,),
        userid: str | None = None,
        email: str | None = None,
        job_number: str | None = None,
        title: str | None = None,
        active: bool = True,
        admin: bool = False,
        **fields: Any,
    ) -> str:
        params: dict[str, Any] = {
            "name": name,
            "mobile": mobile,
            "userid": userid,
            "email": email,
            "job_number": job_number,
            "title": title,
            "dept_id_list": ",".join(str(d) for d in dept_ids),
        }
        boss, sys_level = fields.pop("boss", False), fields.pop("sys_level", None)
        extra = {k: fields.pop(k) for k in ("real_authed", "avatar", "exclusive_account") if k in fields}
        params.update(fields)
        with self._lock:
            user = self.directory.create_user({k: v for k, v in params.items() if v is not None}, emit=False)
            user.update(active=active, admin=admin, boss=boss, **extra)
            if admin:
                level = sys_level or (2 if any(a["sys_level"] == 1 for a in self.directory.admins) else 1)
                self.directory.admins.append({"userid": user["userid"], "sys_level": level})
                self.directory.admin_scopes[user["userid"]] = [] if level == 1 else [ROOT]
            return str(user["userid"])

    def add_role(self, name: str, group: str = "Default", members: Iterable[str] = ()) -> int:
        with self._lock:
            group_id = next((g for g, v in self.roles.groups.items() if v["name"] == group), None)
            if group_id is None:
                group_id = self.roles.add_group(group)
            role_id = self.roles.add_role(name, group_id)
            self.roles.grant([role_id], list(members))
            return role_id

    def leave(self, userid: str, reason: str = "leave") -> None:
        """The member leaves on DingTalk's side (console or app): a leave record and ``user_leave_org``."""
        with self._lock:
            self.directory.remove_user(userid, reason=reason, check_visible=False)

    def push_event(self, event_type: str, **fields: Any) -> dict[str, Any]:
        """Emit an event as DingTalk would (e.g. ``check_url``); pushed when a callback URL is set."""
        with self._lock:
            return self.bus.emit(event_type, **fields)

    # --- inspection

    @property
    def departments(self) -> dict[int, dict[str, Any]]:
        return self.directory.departments

    @property
    def users(self) -> dict[str, dict[str, Any]]:
        return self.directory.users

    @property
    def leave_records(self) -> list[dict[str, Any]]:
        return self.directory.leave_records

    @property
    def admins(self) -> list[dict[str, Any]]:
        return self.directory.admins

    @property
    def calls(self) -> list[CallRecord]:
        return self.gateway.calls

    def calls_per_api(self) -> dict[str, int]:
        return dict(Counter(call.api for call in self.gateway.calls))

    @property
    def throttled_count(self) -> int:
        return sum(1 for call in self.gateway.calls if call.status == "throttled")

    @property
    def robot_messages(self) -> list[dict[str, Any]]:
        return self.robot.messages

    @property
    def events(self) -> list[dict[str, Any]]:
        return self.bus.events

    @property
    def failed_pushes(self) -> list[dict[str, Any]]:
        return self.bus.failed_pushes

    def wait_for_pushes(self, timeout: float = 10.0) -> bool:
        return self.bus.wait_idle(timeout)

    # --- control

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens.expire_all()

    def fail_next(
        self,
        path: str,
        *,
        errcode: int | None = None,
        sub_code: str | None = None,
        http_status: int | None = None,
        code: str | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls to ``path`` fail as told (default: errcode -1 "busy" / 503)."""
        with self._lock:
            self.gateway.fail_next(path, InjectedFailure(errcode, sub_code, http_status, code, times))

    def reset(self) -> None:
        with self._lock:
            self.directory.reset()
            self.roles.reset()
            self.gateway.calls.clear()
            self.gateway.failures.clear()
            self.window.clear()
            self.quota.clear()
            self.robot.clear()
            self.bus.clear()
            if hasattr(self, "stubs"):
                self.stubs.reset()

    # --- callback crypto for tests

    def _cipher(self) -> CallbackCipher:
        if not self.callback_token or not self.callback_aes_key:
            raise RuntimeError("the emulator has no callback token and AES key")
        return CallbackCipher(self.callback_token, self.callback_aes_key, self.appkey)

    def push_payload(self, envelope: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
        """(query params, JSON body) of the push DingTalk would send for ``envelope``."""
        return self._cipher().seal(envelope)

    def decrypt_reply(self, reply: dict[str, Any]) -> str:
        """The text of a callback endpoint's encrypted reply (raises CryptoError when it does not verify)."""
        return self._cipher().open_reply(reply)
