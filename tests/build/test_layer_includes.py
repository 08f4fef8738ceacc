#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""The build enforces the layers of raw/ntb_dwedma.

Each layer is a static library that sees only its own include directory
and those of the layers below it (drivers/raw/ntb_dwedma/meson.build).
For every layer, this test takes the compiler command that meson wrote
for one of the layer's sources (compile_commands.json of the build tree:
the library's own include set, flags and defines), compiles a probe that
includes one header of each layer instead, and checks the result against
the layer graph below: a header of a layer it may use must compile, any
other must fail with "No such file or directory" for that header. An
include that names a directory (which could reach around the include
sets) is refused as well.
TAP output; the compiler's error is shown for each refused include.

Usage: test_layer_includes.py (NTB_BUILD_DIR set, as meson test does)
"""

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

# layer -> the layers whose headers it may include (itself implied);
# "public" is the rawdev's public header (rte_pmd_ntb_dwedma.h, alone in
# raw/ntb_dwedma/include), net_ntb_vnet the ethdev on top
GRAPH = {
    'base': [],
    'vntb': ['base'],
    'edma': ['base'],
    'intr': ['base', 'vntb', 'edma'],
    'counters': [],
    'transport': ['base', 'intr', 'counters'],
    # the EP hands out its interrupt resources as a struct ntb_intr_res,
    # which base declares (ntb_intr_res.h)
    'vsim': ['base', 'vntb', 'edma'],
    'ivshmem': ['base', 'vntb'],
    'rawdev': ['base', 'vntb', 'edma', 'intr', 'transport', 'counters',
               'vsim', 'ivshmem', 'public'],
    'public': [],
    'net_ntb_vnet': ['public', 'counters'],
}
# one header of each, its main interface
HEADER = {
    'base': 'ntb_dev.h',
    'vntb': 'vntb_rc.h',
    'edma': 'dw_edma_v0_regs.h',
    'intr': 'ntb_intr.h',
    'counters': 'ntb_transport_counters.h',
    'transport': 'ntb_transport.h',
    'vsim': 'vsim.h',
    'ivshmem': 'ivshm.h',
    'rawdev': 'ntb_dwedma_dev.h',
    'public': 'rte_pmd_ntb_dwedma.h',
    'net_ntb_vnet': 'ntb_vnet.h',
}
# the object directory of each library whose include set is checked
LIB_DIR = {layer: 'drivers/raw/ntb_dwedma/%s/libntb_dwedma_%s.a.p/'
           % (layer, layer) for layer in
           ['base', 'vntb', 'edma', 'intr', 'transport', 'vsim', 'ivshmem',
            'rawdev']}
LIB_DIR['net_ntb_vnet'] = 'drivers/librte_net_ntb_vnet.a.p/'


def layer_commands(build_dir):
    """layer -> (directory, argv) of a source of the layer's library."""
    with open(os.path.join(build_dir, 'compile_commands.json')) as f:
        entries = json.load(f)
    found = {}
    for e in entries:
        out = e.get('output', '')
        for layer, lib in LIB_DIR.items():
            # the object of the layer library, not of a test or fuzz build
            if out.startswith(lib) and layer not in found:
                found[layer] = (e['directory'], e['file'],
                                shlex.split(e['command']))
    return found


def probe_argv(argv, src, probe):
    """argv compiling probe instead of src, syntax only, no dep files."""
    out = []
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in ('-o', '-MF', '-MQ', '-MT'):
            skip = True
            continue
        if a in ('-c', '-MD', '-MMD', src):
            continue
        if a.startswith('-fdiagnostics-color'):
            a = '-fdiagnostics-color=never'
        out.append(a)
    return out + ['-fsyntax-only', probe]


def main():
    build_dir = os.environ['NTB_BUILD_DIR']
    cmds = layer_commands(build_dir)
    n = 0
    failed = 0
    tmp = tempfile.mkdtemp(prefix='layer-probe.', dir=build_dir)
    for layer in LIB_DIR:
        if layer not in cmds:
            n += 1
            failed += 1
            print('not ok %d - %s: no compile command of its library in '
                  'compile_commands.json' % (n, layer))
            continue
        cwd, src, argv = cmds[layer]
        for other in GRAPH:
            n += 1
            hdr = HEADER[other]
            allowed = other == layer or other in GRAPH[layer]
            probe = os.path.join(tmp, 'probe_%s_%s.c' % (layer, other))
            with open(probe, 'w') as f:
                f.write('#include "%s"\n' % hdr)
                f.write('int layer_probe(void);\n')
                f.write('int layer_probe(void) { return 0; }\n')
            r = subprocess.run(probe_argv(argv, src, probe), cwd=cwd,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               universal_newlines=True)
            refused = ('%s: No such file or directory' % hdr) in r.stdout
            if allowed:
                ok = r.returncode == 0
                what = '%s may include %s (%s)' % (layer, hdr, other)
            else:
                ok = r.returncode != 0 and refused
                what = '%s must not include %s (%s)' % (layer, hdr, other)
            print('%s %d - %s' % ('ok' if ok else 'not ok', n, what))
            if not ok or not allowed:
                for line in r.stdout.splitlines():
                    print('# ' + line)
            if not ok:
                failed += 1
            else:
                os.unlink(probe)
    # a path in an include would reach around the include sets
    n += 1
    qualified = []
    src_root = os.path.join(os.environ['NTB_SOURCE_DIR'], 'drivers')
    for d, _, files in os.walk(src_root):
        for name in files:
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.join(d, name)
            with open(path, errors='replace') as f:
                for i, line in enumerate(f, 1):
                    if re.match(r'\s*#\s*include\s*"[^"]*/', line):
                        qualified.append('%s:%d: %s' % (
                            os.path.relpath(path, src_root), i,
                            line.strip()))
    print('%s %d - no include in drivers/ names a directory' %
          ('not ok' if qualified else 'ok', n))
    for q in qualified:
        print('# ' + q)
    failed += 1 if qualified else 0
    print('1..%d' % n)
    if failed == 0:
        os.rmdir(tmp)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
