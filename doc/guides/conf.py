# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Sphinx configuration of the dpdk-vntb guides. Built by the meson test
# "sphinx_html" (suite doc) as: sphinx-build -W --keep-going -E -b html
# doc/guides <build>/doc/html. Needs Debian's python3-sphinx and, for the
# diagrams, the dot program of graphviz. Nothing here uses the network.

import os
import re
import sys

# Keep the source tree clean: no __pycache__ beside the extension.
sys.dont_write_bytecode = True

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '_ext'))

project = 'dpdk-vntb'
copyright = '2026, dpdk-vntb developers'


def _project_version():
    # The version of the meson project, so the guides never disagree with it.
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
    with open(os.path.join(top, 'meson.build'), encoding='utf-8') as f:
        m = re.search(r"\bversion\s*:\s*'([^']+)'", f.read())
    return m.group(1) if m else 'unknown'


version = release = _project_version()

extensions = [
    'sphinx.ext.graphviz',
    'ntb_features',
]

master_doc = 'index'
exclude_patterns = ['_build', '_ext']
numfig = True
highlight_language = 'none'
pygments_style = 'sphinx'

# Diagrams: SVG in HTML, text stays selectable.
graphviz_output_format = 'svg'
graphviz_dot_args = ['-Gfontname=Helvetica', '-Nfontname=Helvetica',
                     '-Efontname=Helvetica']

# DPDK's guides use the Read the Docs theme when it is installed; the
# build must work with python3-sphinx alone, so fall back on a theme that
# ships with Sphinx.
try:
    import sphinx_rtd_theme  # noqa: F401
    html_theme = 'sphinx_rtd_theme'
except ImportError:
    html_theme = 'classic'
html_title = 'dpdk-vntb %s documentation' % release
html_show_sourcelink = False
html_static_path = []
