#!/usr/bin/python3
"""Aurora IAM auth tokens computed by botocore, at a signing time we choose.

Reads one JSON object per line on stdin: hostname, port, username, region,
accessKeyId, secretAccessKey, sessionToken and date (YYYYMMDDTHHMMSSZ).
Writes the same object with "token" added, one per line.
"""
import datetime
import json
import sys

import botocore.auth
import botocore.session


class PinnedClock(datetime.datetime):
    """Stands in for datetime.datetime inside botocore.auth."""

    pinned = None

    @classmethod
    def utcnow(cls):
        return cls.pinned


botocore.auth.datetime.datetime = PinnedClock
session = botocore.session.get_session()

for line in sys.stdin:
    case = json.loads(line)
    PinnedClock.pinned = datetime.datetime.strptime(case["date"], "%Y%m%dT%H%M%SZ")
    session.set_credentials(
        case["accessKeyId"], case["secretAccessKey"], case.get("sessionToken")
    )
    client = session.create_client("rds", region_name=case["region"])
    case["token"] = client.generate_db_auth_token(
        case["hostname"], case["port"], case["username"]
    )
    print(json.dumps(case), flush=True)
