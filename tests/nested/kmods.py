#!/usr/bin/env python3
# kmods.py MODDIR NAME...: the .ko files (paths under MODDIR, one a line) that
# load NAME... in dependency order, read from each module's .modinfo section
# (Debian's packages ship no modules.dep, and this needs no kmod tools).
# Exits 1 naming any module (or dependency) it cannot find.
import os
import struct
import sys


def modinfo(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path}: not a little-endian ELF64 module")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = secs[shstrndx][4]
    for s in secs:
        end = data.index(b"\0", stroff + s[0])
        if data[stroff + s[0]:end] == b".modinfo":
            raw = data[s[4]:s[4] + s[5]]
            out = {}
            for item in raw.split(b"\0"):
                k, _, v = item.decode(errors="replace").partition("=")
                if k:
                    out.setdefault(k, v)
            return out
    return {}


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: kmods.py MODDIR NAME...")
    moddir = sys.argv[1]
    files = {}
    for root, _, names in os.walk(moddir):
        for n in names:
            if n.endswith(".ko"):
                files[n[:-3].replace("-", "_")] = os.path.relpath(os.path.join(root, n), moddir)
    order, seen, missing = [], set(), []

    def load(name, chain):
        key = name.replace("-", "_")
        if key in seen:
            return
        seen.add(key)
        if key not in files:
            missing.append(" <- ".join([name] + chain))
            return
        deps = modinfo(os.path.join(moddir, files[key])).get("depends", "")
        for d in filter(None, deps.split(",")):
            load(d, [name] + chain)
        order.append(files[key])

    for name in sys.argv[2:]:
        load(name, [])
    if missing:
        sys.exit("kmods.py: no module " + "; ".join(missing) + f" under {moddir}")
    print("\n".join(order))


main()
