#!/usr/bin/env python3
"""Ansible dynamic inventory of the guests Berth made for you.

    export BERTH_URL=https://berth.example.org/
    export BERTH_TOKEN=berth_...      # a personal token (Profile -> API tokens); "read" is enough
    ansible-inventory -i berth_inventory.py --list
    ansible -i berth_inventory.py all -m ping

BERTH_INVENTORY_ALL=true lists everyone's guests (admins only). BERTH_CA_FILE names a CA bundle for
a portal whose certificate the system does not trust. The token is sent only to BERTH_URL and is
never printed.
"""
import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request


def fail(message):
    print("berth_inventory: " + message, file=sys.stderr)
    sys.exit(1)


def inventory():
    base = os.environ.get("BERTH_URL", "").strip()
    token = os.environ.get("BERTH_TOKEN", "").strip()
    if not base:
        fail("BERTH_URL is not set (the portal's address, such as https://berth.example.org/)")
    if not token:
        fail("BERTH_TOKEN is not set (a personal API token from your profile page)")
    url = urllib.parse.urljoin(base if base.endswith("/") else base + "/", "api/inventory")
    if os.environ.get("BERTH_INVENTORY_ALL", "").lower() in ("1", "true", "yes"):
        url += "?all=true"
    request = urllib.request.Request(
        url, headers={"Authorization": "Bearer " + token, "Accept": "application/json"})
    context = None
    if url.startswith("https:"):
        context = ssl.create_default_context(cafile=os.environ.get("BERTH_CA_FILE") or None)
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as e:
        detail = ""
        try:
            detail = json.load(e).get("message", "")
        except ValueError:
            pass
        fail("%s answered %d %s" % (url, e.code, detail))
    except (urllib.error.URLError, OSError) as e:
        fail("cannot reach %s: %s" % (url, getattr(e, "reason", e)))


def main(argv):
    if len(argv) >= 2 and argv[1] == "--list":
        json.dump(inventory(), sys.stdout)
    elif len(argv) >= 3 and argv[1] == "--host":
        # Every host's variables are in --list's _meta already.
        json.dump({}, sys.stdout)
    else:
        fail("usage: berth_inventory.py --list | --host NAME")


if __name__ == "__main__":
    main(sys.argv)
