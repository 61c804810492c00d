#!/usr/bin/env bash
# Install what the browser suite (tests/browser) and the card gallery (scripts/card_gallery.py) need:
#   - Debian's chromium (Playwright drives it; a browser download never works here),
#   - fonts for emoji and a Segoe-UI-like sans serif, so cards look as they do in Teams,
#   - the npm packages pinned in tools/browser/package-lock.json (the Agents Playground, adaptivecards).
# Idempotent and quiet: when everything is there it only checks and exits.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/tools/browser"
# shellcheck source=scripts/requirements.sh
. "$root/scripts/requirements.sh"

apt_packages=(chromium fonts-noto-color-emoji fonts-open-sans)
missing=()
for pkg in "${apt_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        # Not fatal on a developer's machine: the browser suite then skips, saying what is missing.
        missing_dependency "setup_browser: missing Debian packages ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}"
        exit 0
    fi
    echo "setup_browser: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    missing_dependency "setup_browser: node and npm are needed for the Agents Playground (apt-get install nodejs npm)"
    exit 0
fi

# npm ci wipes node_modules, so run it only when the lock file changed since the last install.
stamp="$tools/node_modules/.nwow-lock.sha256"
want="$(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    echo "setup_browser: installing npm packages into tools/browser/node_modules"
    npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error >/dev/null
    echo "$want" >"$stamp"
fi
