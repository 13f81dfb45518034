#!/usr/bin/env python3
"""Reads one mail with Python's strict email parser and reports what it saw.

Usage: strict_parse.py FILE

Prints one JSON object (UTF-8): the decoded subject, from/to/cc, message ids, every attachment
filename, the text and html bodies, and every defect found (parse-time defects, per-part defects
and header defects). Exits 0 when there are no defects, 1 when there are (listed on stderr too),
2 when the file cannot be read.

One deliberate exception, listed under "accepted_defects" and not failing: the RFC 2047
encoded-words inside the quoted Content-Type `name=` parameter. RFC 2047 §5 forbids them, but
Outlook reads no RFC 2231 filename, so compose.h writes them on purpose next to the RFC 2231
`filename*=` that conforming readers (this one included) use. compose_test.cpp runs it on every composed mail: a second,
independent reader of our output (stdlib only, no third-party packages).
"""
import email
import email.policy
import json
import sys


def addresses(header):
    if header is None:
        return []
    return [[a.display_name, a.addr_spec] for a in header.addresses]


# What Python says about `name="=?utf-8?B?...?="` (see the module docstring).
LEGACY_NAME_DEFECTS = ("encoded word inside quoted string", "missing trailing whitespace after encoded-word")


def header_defects(part, where, accepted):
    found = []
    raw = {k.lower(): v for k, v in part.raw_items()}
    for name in part.keys():
        for value in part.get_all(name, []):
            for d in getattr(value, "defects", ()):
                line = f"{where}: header {name}: {type(d).__name__}: {d}"
                legacy = name.lower() == "content-type" and 'name="=?utf-8?' in raw.get("content-type", "")
                (accepted if legacy and str(d) in LEGACY_NAME_DEFECTS else found).append(line)
    return found


def walk(msg, accepted):
    defects, filenames, bodies = [], [], {}
    for index, part in enumerate(msg.walk()):
        where = f"part {index} ({part.get_content_type()})"
        defects += [f"{where}: {type(d).__name__}: {d}" for d in part.defects]
        defects += header_defects(part, where, accepted)
        if part.is_multipart():
            continue
        if part.get_content_disposition() in ("attachment", "inline") and part.get_filename() is not None:
            filenames.append(part.get_filename())
        elif part.get_content_type() in ("text/plain", "text/html"):
            # Line ends as mime::parse gives them, so the test compares like with like.
            bodies.setdefault(part.get_content_subtype(), part.get_content().replace("\r\n", "\n"))
    return defects, filenames, bodies


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"cannot read: {e}", file=sys.stderr)
        return 2
    try:
        accepted = []
        msg = email.message_from_bytes(data, policy=email.policy.strict)
        defects, filenames, bodies = walk(msg, accepted)
        result = {
            "subject": str(msg["subject"]) if msg["subject"] is not None else None,
            "from": addresses(msg["from"]),
            "to": addresses(msg["to"]),
            "cc": addresses(msg["cc"]),
            "message_id": str(msg["message-id"]),
            "in_reply_to": str(msg["in-reply-to"]) if msg["in-reply-to"] is not None else None,
            "header_names": list(msg.keys()),
            "filenames": filenames,
            "text": bodies.get("plain"),
            "html": bodies.get("html"),
            "accepted_defects": accepted,
        }
    except Exception as e:  # policy.strict raises on the first parse defect
        defects = [f"exception: {type(e).__name__}: {e}"]
        result = {}
    result["defects"] = defects
    sys.stdout.buffer.write(json.dumps(result, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    for d in defects:
        print(d, file=sys.stderr)
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
