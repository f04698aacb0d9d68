#!/usr/bin/env bash
# Install the system packages plandocs needs, only where they are missing:
#   graphviz (the `dot` command) for dependency diagrams,
#   python3-venv where this Python cannot create a virtual environment,
#   with --browser: chromium, for the browser tests (unless PLANDOCS_CHROMIUM names one).
# Debian/Ubuntu (apt-get). Runs apt-get as root, or through sudo when available.
set -euo pipefail

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
for arg in "$@"; do
  case "$arg" in
    --browser)
      if [ ! -x "${PLANDOCS_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
        missing+=(chromium)
      fi ;;
  esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "plandocs: please install: ${missing[*]} (no apt-get on this machine)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "plandocs: please install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "plandocs: installing system packages: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
