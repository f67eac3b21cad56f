#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the source tree keeps its shape (man 7 ktstr-internals, LAYOUT).

  check_layers.py SRCDIR [BUILDDIR]

1. Rooms: every file belongs to a room (a folder such as lib/topo or
   cmd/run); a file may include headers of its own room and of the rooms
   listed for it in ROOMS below, nothing else. That keeps the layering
   (cmd over initramfs and vmm over lib; inside lib, base at the bottom) and
   keeps the guest agent to lib/wire.
2. No include cycle between units (foo.c with foo.h and foo_int.h) and no
   cycle between rooms.
3. With BUILDDIR: no two object files need each other, directly or around a
   loop (a symbol used by one is defined by the other), read with nm.
4. No source file over MAX_LINES lines.

Prints one line per problem and exits 1 when there is any.
"""
import collections
import os
import re
import subprocess
import sys

MAX_LINES = 800

# room -> the rooms it may include (its own is always allowed). Order matters
# only for reading: each room lists rooms above it in this table.
ROOMS = {
    'lib/base': [],
    'lib/topo': ['lib/base'],
    'lib/wire': ['lib/base'],
    'lib/verdict': ['lib/base', 'lib/topo', 'lib/wire'],
    'lib/scenario': ['lib/base', 'lib/topo', 'lib/wire', 'lib/verdict'],
    'lib/gauntlet': ['lib/base', 'lib/topo', 'lib/wire', 'lib/verdict', 'lib/scenario'],
    'lib/kernel': ['lib/base'],
    'lib/monitor': ['lib/base', 'lib/topo', 'lib/wire'],
    'lib/vm': ['lib/base', 'lib/topo', 'lib/wire', 'lib/monitor'],
    'initramfs/agent': ['lib/wire'],
    'initramfs/modload': [],
    'initramfs': ['lib/base'],
    'vmm/kvm': ['lib/base'],
    'vmm/hw': ['lib/base'],
    'vmm/virtio': ['lib/base', 'lib/wire'],
    'vmm/platform': ['lib/base', 'lib/topo'],
    'vmm/boot': ['lib/base', 'vmm/kvm'],
    'vmm': ['lib/base', 'lib/topo', 'lib/wire', 'lib/vm', 'vmm/kvm', 'vmm/hw',
            'vmm/virtio', 'vmm/platform', 'vmm/boot'],
    'cmd/out': ['lib/base', 'lib/topo', 'lib/wire', 'lib/verdict'],
    'cmd/run': ['lib/base', 'lib/topo', 'lib/wire', 'lib/verdict', 'lib/scenario',
                'lib/gauntlet', 'lib/kernel', 'lib/vm', 'lib/monitor', 'initramfs', 'vmm',
                'cmd/out'],
    'cmd': ['lib/base', 'lib/topo', 'lib/wire', 'lib/verdict', 'lib/scenario',
            'lib/gauntlet', 'lib/kernel', 'lib/vm', 'initramfs', 'vmm', 'vmm/platform',
            'cmd/run', 'cmd/out'],
}
TOPS = ('lib', 'cmd', 'vmm', 'initramfs')
# Where a room's own files look for "x/y.h" besides their folder (meson's
# include_directories); the agent sees lib/wire as a plain directory.
SEARCH = {'initramfs/agent': ['initramfs/agent', 'lib/wire']}
DEFAULT_SEARCH = ['lib', 'vmm', 'initramfs', 'cmd', '.']
GENERATED = {'ktstr-config.h'}

problems = []


def problem(msg):
    problems.append(msg)


def room_of(path):
    d = os.path.dirname(path)
    while d and d not in ROOMS:
        d = os.path.dirname(d)
    return d or None


def unit_of(path):
    stem = os.path.splitext(path)[0]
    return re.sub(r'_int$', '', stem)


def sources(src):
    out = []
    for top in TOPS:
        for root, _, files in os.walk(os.path.join(src, top)):
            for f in files:
                if f.endswith(('.c', '.h')):
                    out.append(os.path.relpath(os.path.join(root, f), src))
    return sorted(out)


def resolve(src, includer, name):
    here = os.path.dirname(includer)
    dirs = [here] + SEARCH.get(room_of(includer), DEFAULT_SEARCH)
    for d in dirs:
        cand = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(src, cand)):
            return cand
    return None


def find_cycles(graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(100000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def check_includes(src):
    unit_graph = collections.defaultdict(set)
    room_graph = collections.defaultdict(set)
    for f in sources(src):
        room = room_of(f)
        if room is None:
            problem(f'{f}: in no room; add its folder to ROOMS in {sys.argv[0]}')
            continue
        with open(os.path.join(src, f), encoding='utf-8', errors='replace') as fh:
            lines = fh.read().split('\n')
        if len(lines) - 1 > MAX_LINES:
            problem(f'{f}: {len(lines) - 1} lines, over {MAX_LINES}: split it by job')
        for n, line in enumerate(lines, 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m or m.group(1) in GENERATED:
                continue
            target = resolve(src, f, m.group(1))
            if target is None:
                problem(f'{f}:{n}: #include "{m.group(1)}" names no file of the tree')
                continue
            troom = room_of(target)
            if troom != room and troom not in ROOMS[room]:
                problem(f'{f}:{n}: {room} may not include {target} ({troom}); '
                        f'{room} may include: {", ".join(ROOMS[room]) or "nothing"}')
            if unit_of(target) != unit_of(f):
                unit_graph[unit_of(f)].add(unit_of(target))
            if troom != room:
                room_graph[room].add(troom)
    for cyc in find_cycles(unit_graph):
        problem('include cycle between ' + ', '.join(cyc))
    for cyc in find_cycles(room_graph):
        problem('include cycle between rooms ' + ', '.join(cyc))


def symbols(objs):
    """{object: (defined globals, undefined)} from one nm run over all objects."""
    out = {o: (set(), set()) for o in objs}
    r = subprocess.run(['nm', '-A', '-g', *objs], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        obj, _, rest = line.partition(': ')
        if obj not in out:
            obj, _, rest = line.partition(':')
        parts = rest.split()
        if obj not in out or len(parts) < 2:
            continue
        if parts[-2] == 'U':
            out[obj][1].add(parts[-1])
        elif len(parts) >= 3:
            out[obj][0].add(parts[-1])
    return out


def check_objects(build):
    objs = []
    for top in TOPS:
        for root, _, files in os.walk(os.path.join(build, top)):
            objs += [os.path.join(root, f) for f in files
                     if f.endswith('.o') and '.p' in os.path.basename(root)]
    if not objs:
        problem(f'{build}: no object files under {", ".join(TOPS)}: build it first')
        return

    # The agent and the module loader link alone; everything else is one program.
    def program(o):
        rel = os.path.relpath(o, build)
        if rel.startswith('initramfs/agent/') or 'ktstr-agent.p' in rel:
            return 'agent'
        if 'modload' in rel:
            return 'modload'
        return 'host'

    syms = symbols(objs)
    defined = {}
    for o in objs:
        for sym in syms[o][0]:
            defined.setdefault((program(o), sym), o)
    graph = collections.defaultdict(set)
    for o in objs:
        for sym in syms[o][1]:
            d = defined.get((program(o), sym))
            if d and d != o:
                graph[o].add(d)

    def name(o):
        rel = os.path.relpath(o, build)
        return re.sub(r'\.c\.o$', '.c', rel.replace('.a.p/', ':').replace('.p/', ':'))

    for cyc in find_cycles(graph):
        problem('these objects need each other (a symbol loop): ' +
                ', '.join(name(o) for o in cyc))


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    check_includes(sys.argv[1])
    if len(sys.argv) == 3:
        check_objects(sys.argv[2])
    for p in problems:
        print(p)
    print(f'check_layers: {len(problems)} problem(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
