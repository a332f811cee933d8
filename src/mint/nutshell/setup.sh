#!/usr/bin/env bash
# Installs nutshell (PyPI `cashu`, pinned) into .venv-nutshell/ at the project root, for `--mint nutshell` and the
# nutshell tests. Needs Python >= 3.10 with venv. Idempotent: a venv that already runs the pinned version is kept.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
venv="$root/.venv-nutshell"
version=0.21.0
py="${PYTHON:-python3}"
if "$venv/bin/python" -c "import cashu.core.settings as s, sys; sys.exit(s.VERSION != '$version')" 2>/dev/null; then
  echo "nutshell $version already in $venv"
  exit 0
fi
"$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "nutshell needs Python >= 3.10 ($py is older)" >&2; exit 2; }
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$root/src/mint/nutshell/requirements.txt"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "cashu==$version"
"$venv/bin/python" -c "import cashu.core.settings as s; print('nutshell', s.VERSION, 'installed in $venv')"
