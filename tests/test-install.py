#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build into a throwaway DESTDIR and checks the desktop
# integration where a desktop looks for it: the D-Bus service file (named
# after the app id, activating the installed binary as a GApplication
# service), the app icons in the hicolor theme at the names and sizes the
# desktop file and the shell ask for, and the desktop file that ties them.
#   test-install.py MESON BUILD_DIR APP_ID PREFIX BINDIR DATADIR

import configparser
import os
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

meson, build_dir, app_id, prefix, bindir, datadir = sys.argv[1:7]
SVG = '{http://www.w3.org/2000/svg}svg'

results = []


def check(name, ok, detail=''):
    results.append((name, ok, detail))


def read_ini(path, section):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    with open(path, encoding='utf-8') as f:
        parser.read_file(f)
    return parser[section]


def svg_size(path):
    root = ET.parse(path).getroot()
    if root.tag != SVG:
        return None
    box = root.get('viewBox', '').replace(',', ' ').split()
    return (root.get('width'), root.get('height'), tuple(float(v) for v in box) if len(box) == 4 else None)


def under(dest, path):
    return os.path.join(dest, os.path.relpath(path, '/'))


with tempfile.TemporaryDirectory() as dest:
    env = dict(os.environ, DESTDIR=dest)
    proc = subprocess.run([meson, 'install', '-C', build_dir, '--no-rebuild', '--quiet', '--destdir', dest],
                          capture_output=True, text=True, env=env)
    check('meson install into a DESTDIR succeeds', proc.returncode == 0, proc.stdout + proc.stderr)

    bin_path = os.path.join(prefix, bindir, 'enigma-apex')
    data = under(dest, os.path.join(prefix, datadir))

    # The D-Bus service file.
    service = os.path.join(data, 'dbus-1', 'services', app_id + '.service')
    check('the D-Bus service file is installed as <app id>.service', os.path.isfile(service), service)
    if os.path.isfile(service):
        section = read_ini(service, 'D-BUS Service')
        check('the service Name= is the app id', section.get('Name') == app_id, repr(section.get('Name')))
        exec_argv = shlex.split(section.get('Exec', ''))
        check('the service Exec= starts the installed binary',
              len(exec_argv) > 0 and exec_argv[0] == bin_path, repr(exec_argv))
        check('the service Exec= passes --gapplication-service',
              '--gapplication-service' in exec_argv[1:], repr(exec_argv))
        installed_bin = under(dest, bin_path)
        check('the binary the service starts is installed and executable',
              os.path.isfile(installed_bin) and os.access(installed_bin, os.X_OK), installed_bin)

    # The icons.
    hicolor = os.path.join(data, 'icons', 'hicolor')
    scalable = os.path.join(hicolor, 'scalable', 'apps', app_id + '.svg')
    symbolic = os.path.join(hicolor, 'symbolic', 'apps', app_id + '-symbolic.svg')
    check('the app icon is installed as hicolor/scalable/apps/<app id>.svg', os.path.isfile(scalable), scalable)
    if os.path.isfile(scalable):
        size = svg_size(scalable)
        check('the app icon is an SVG with a square canvas of at least 128 px',
              size is not None and size[2] is not None and size[2][2] == size[2][3] and size[2][2] >= 128,
              repr(size))
    check('the symbolic icon is installed as hicolor/symbolic/apps/<app id>-symbolic.svg',
          os.path.isfile(symbolic), symbolic)
    if os.path.isfile(symbolic):
        size = svg_size(symbolic)
        check('the symbolic icon is a 16x16 SVG',
              size == ('16', '16', (0.0, 0.0, 16.0, 16.0)), repr(size))
    stray = []
    for dirpath, _, filenames in os.walk(hicolor):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if path not in (scalable, symbolic):
                stray.append(os.path.relpath(path, hicolor))
    check('no other file is installed into the hicolor theme', not stray, repr(stray))

    # The desktop file names the icon and is D-Bus activatable.
    desktop = os.path.join(data, 'applications', app_id + '.desktop')
    check('the desktop file is installed as <app id>.desktop', os.path.isfile(desktop), desktop)
    if os.path.isfile(desktop):
        entry = read_ini(desktop, 'Desktop Entry')
        check('the desktop file Icon= is the app id', entry.get('Icon') == app_id, repr(entry.get('Icon')))
        check('the desktop file is DBusActivatable', entry.get('DBusActivatable') == 'true',
              repr(entry.get('DBusActivatable')))

print(f'1..{len(results)}')
failed = 0
for number, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {number} - {name}')
    if not ok:
        failed += 1
        for line in str(detail).splitlines():
            print(f'#   {line}')
sys.exit(1 if failed else 0)
