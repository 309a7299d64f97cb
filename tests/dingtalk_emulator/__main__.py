"""Run the emulator by hand:
``uv run python -m tests.dingtalk_emulator --port 8765 --appkey K --appsecret S``.
Serves until Ctrl-C; ``--seed N`` fills the directory with N members spread over a few departments."""

from __future__ import annotations

import argparse
import threading

from tests.dingtalk_emulator.emulator import Emulator


def _seed(emulator: Emulator, members: int) -> None:
    teams = [emulator.add_department(name) for name in ("Finance", "Operations", "Sales", "Technology")]
    nested = emulator.add_department("Platform", teams[-1])
    targets = [*teams, nested]
    for n in range(members):
        emulator.add_user(
            name=f"Member {n + 1}",
            mobile=f"+852-5{n:07d}",
            dept_ids=[targets[n % len(targets)]],
            email=f"member{n + 1}@example.com.hk",
            job_number=f"E{n + 1:05d}",
            admin=n == 0,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.dingtalk_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--appkey", required=True)
    parser.add_argument("--appsecret", required=True)
    parser.add_argument("--corp-id", default="dingcorp")
    parser.add_argument("--robot-token")
    parser.add_argument("--robot-secret")
    parser.add_argument("--qps", type=int, default=20, help="per app per API; 0 switches throttling off")
    parser.add_argument("--callback-url")
    parser.add_argument("--callback-token")
    parser.add_argument("--callback-aes-key")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="members to create at start")
    args = parser.parse_args(argv)
    emulator = Emulator(
        args.appkey,
        args.appsecret,
        args.corp_id,
        qps_per_api=args.qps or None,
        robot_token=args.robot_token,
        robot_secret=args.robot_secret,
        callback_url=args.callback_url,
        callback_token=args.callback_token,
        callback_aes_key=args.callback_aes_key,
    )
    _seed(emulator, args.seed)
    url = emulator.start(args.host, args.port)
    print(f"DingTalk emulator serving on {url} (both hosts' paths); Ctrl-C stops it", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
