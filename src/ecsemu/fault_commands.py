"""``ecsemu fault add|list|clear``: fault rules through the control plane (control/faults.py).

    ecsemu fault add 'Describe*' --error ServiceUnavailable --count 2
    ecsemu fault add StopInstance --hold-seconds 30
    ecsemu fault add DescribeDisks --resource-id d-bp1… --latency-ms 1500
    ecsemu fault list
    ecsemu fault clear [RULE_ID]

The flags are the rule's JSON fields (docs/unhappy-paths.md); the emulator checks the rule
and answers a bad one with its JSON error (exit status 1).
"""

from __future__ import annotations

import argparse
import json
import urllib.parse


def add_fault_commands(commands, common: argparse.ArgumentParser) -> None:
    fault = commands.add_parser("fault", help="make calls fail on purpose: fault rules")
    verbs = fault.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", parents=[common], help="add a rule; prints it with its RuleId")
    add.add_argument("action", nargs="?", default="*", help="the actions it matches, a glob (default *)")
    add.add_argument("--product", choices=("ECS", "VPC"), type=str.upper)
    add.add_argument("--account", help="only this account's calls (AccountId)")
    add.add_argument("--resource-id", help="only calls with a parameter naming this resource")
    add.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", type=_pair,
                     help="only calls with this parameter value (exact, or a glob); repeatable")
    add.add_argument("--error", metavar="CODE", help="answer this error (status and message: the catalogue's)")
    add.add_argument("--status", type=int, help="the error's HTTP status")
    add.add_argument("--message", help="the error's message")
    add.add_argument("--latency-ms", type=int, help="wait so long first")
    add.add_argument("--hold-seconds", type=float, help="the moves the call schedules wait so long more")
    add.add_argument("--drop", action="store_true", help="close the connection without an answer")
    add.add_argument("--count", type=int, help="the next N matching calls only (default: until cleared)")
    add.add_argument("--probability", type=float, help="strike each matching call with this probability")
    add.add_argument("--seed", type=int, help="the probability's seed: the same seed, the same sequence")
    verbs.add_parser("list", parents=[common], help="every rule, with its matches and remaining uses")
    clear = verbs.add_parser("clear", parents=[common], help="remove one rule, or all of them")
    clear.add_argument("rule_id", nargs="?")


def fault_request(args: argparse.Namespace) -> tuple[str, str, bytes | None]:
    """Method, path under /_ecsemu, and JSON body of a ``fault`` command."""
    if args.verb == "list":
        return "GET", "/faults", None
    if args.verb == "clear":
        suffix = f"/{urllib.parse.quote(args.rule_id, safe='')}" if args.rule_id else ""
        return "DELETE", f"/faults{suffix}", None
    return "POST", "/faults", json.dumps(rule_body(args)).encode()


def rule_body(args: argparse.Namespace) -> dict:
    body: dict = {"Action": args.action}
    for field, value in (("Product", args.product), ("AccountId", args.account), ("ResourceId", args.resource_id),
                         ("LatencyMs", args.latency_ms), ("HoldSeconds", args.hold_seconds),
                         ("Count", args.count), ("Probability", args.probability), ("Seed", args.seed)):
        if value is not None:
            body[field] = value
    if args.param:
        body["Parameters"] = dict(args.param)
    if args.drop:
        body["DropConnection"] = True
    if args.error is not None or args.status is not None or args.message is not None:
        error = {"Code": args.error, "HttpStatus": args.status, "Message": args.message}
        body["Error"] = {name: value for name, value in error.items() if value is not None}
    return body


def _pair(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    return name, value
