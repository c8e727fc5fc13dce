#!/usr/bin/env bash
# Print a Python interpreter >= 3.12 that really runs (Django 6 requires it), or explain and fail.
# pyenv shims for python3.12 work inside this repository thanks to .python-version.
set -u
for candidate in "${PYTHON:-}" python3.12 python3.13 python3.14 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if found=$("$candidate" -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null); then
        echo "$found"
        exit 0
    fi
done
echo "mesoclinic needs Python 3.12 or newer (Django 6 requires it) and found none." >&2
echo "Install python3.12 (e.g. 'apt-get install python3.12 python3.12-venv' on Ubuntu 24.04)" >&2
echo "or point PYTHON=/path/to/python3.12 at one." >&2
exit 1
