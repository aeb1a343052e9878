#!/usr/bin/env python3
"""Every PCIe and NIC link of a shipped platform is full duplex (docs/devices.md, "Links"): a link carries data one
way only. prepsim's convention is one <link> per direction (a NIC's `-tx` and `-rx`, a card's `-pcie-rx` and
`-pcie-tx`), or SimGrid's SPLITDUPLEX with `direction` on each <link_ctn>. A link fails the check when a host is
both a source and a destination of the routes through it (it would carry both directions, i.e. half duplex), or
when a symmetrical route (SimGrid's default) between two different hosts uses it the other way too. A host's
route to itself (its loopback) is exempt.

usage: duplex_check.py PLATFORM.xml...
"""
import re
import sys

# A tag scanner, as analysis/plan/plan_platform.cpp: the generated platforms carry "--" inside comments, which SimGrid
# accepts and a strict XML parser refuses.
COMMENT = re.compile(r"<!--.*?-->", re.S)
ROUTE = re.compile(r"<route\b([^>]*?)(/>|>(.*?)</route>)", re.S)
CTN = re.compile(r"<link_ctn\b([^>]*)/?>")
ATTR = re.compile(r"""(\w+)\s*=\s*["']([^"']*)["']""")


def problems(path):
    out = []
    uses = {}  # link (id, direction) -> list of (src, dst)
    text = COMMENT.sub("", open(path).read())
    for m in ROUTE.finditer(text):
        route = dict(ATTR.findall(m.group(1)))
        src, dst = route.get("src"), route.get("dst")
        if src == dst:
            continue
        pairs = [(src, dst)]
        if route.get("symmetrical", "YES").upper() not in ("NO", "FALSE"):
            pairs.append((dst, src))
        for c in CTN.finditer(m.group(3) or ""):
            ctn = dict(ATTR.findall(c.group(1)))
            key = (ctn.get("id"), ctn.get("direction", ""))
            uses.setdefault(key, []).extend(pairs)
    for (link, direction), pairs in sorted(uses.items()):
        both = {s for s, _ in pairs} & {d for _, d in pairs}
        if both:
            name = link + (f" ({direction})" if direction else "")
            out.append(f"{path}: link {name} carries both directions (host {sorted(both)[0]} sends and receives "
                       f"through it): split it into one link per direction or make it SPLITDUPLEX")
    return out


def main():
    bad = [p for path in sys.argv[1:] for p in problems(path)]
    for b in bad:
        print(b)
    print(f"{len(sys.argv) - 1} platforms, {len(bad)} half-duplex links")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
