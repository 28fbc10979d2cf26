#!/usr/bin/python3
"""Renders Home Assistant MQTT value templates the way HA does, with the real Jinja2: `value` is the payload as
text, `value_json` the payload parsed as JSON. Undefined names fail (HA would log a warning and show nothing).

stdin: a JSON list of {"template": str, "payload": str}; stdout: a JSON list of {"ok": bool, "value"|"error": str}.
"""
import json
import sys

import jinja2

env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
out = []
for item in json.load(sys.stdin):
    try:
        payload = item["payload"]
        variables = {"value": payload}
        try:
            variables["value_json"] = json.loads(payload)
        except ValueError:
            pass
        out.append({"ok": True, "value": env.from_string(item["template"]).render(**variables)})
    except Exception as e:  # noqa: BLE001 - each template's own failure is the answer
        out.append({"ok": False, "error": f"{type(e).__name__}: {e}"})
json.dump(out, sys.stdout)
