#!/usr/bin/env bash
# Idempotent setup for the end-to-end tests (and the demo); also works without internet access to GitHub:
#   - Debian packages chromium, libkrb5-dev, ripgrep and a small CJK font (fonts-wqy-microhei, so
#     screenshots of the Chinese UI show characters) (apt-get, only when missing);
#   - code-server and playwright-core in .e2e/tools/ (its own package.json, outside the repo's
#     node_modules), with the three offline workarounds:
#       1. npm install --ignore-scripts first;
#       2. rewrite the git+ssh `resolved` of @vscode/proxy-agent in code-server's vscode shrinkwrap
#          to the registry tarball (same version, same integrity);
#       3. seed @vscode/ripgrep's download cache with a tarball of Debian's /usr/bin/rg;
#     then `npm rebuild --foreground-scripts` with unsafe-perm (code-server insists on it as root).
# A second run is a fast no-op (a stamp file records the versions that were set up).
#   bash scripts/e2e-setup.sh [--force]
set -euo pipefail

CODE_SERVER_VERSION=4.96.4
PLAYWRIGHT_VERSION=1.65.1
PROXY_AGENT_VERSION=0.27.0
RG_PKG_VERSION=1.15.9
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.e2e/tools"
STAMP="$TOOLS/.setup-ok"
WANT="code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

say() { printf '[e2e-setup] %s\n' "$*"; }
die() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }
t0=$SECONDS

# ---- 1. Debian packages -------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q 'install ok installed' || missing+=(fonts-wqy-microhei)
if ((${#missing[@]})); then
  say "apt: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    say "apt: updating package lists"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}" ||
      die "apt-get install ${missing[*]} failed"
  fi
else
  say "apt: chromium, ripgrep, libkrb5-dev, fonts-wqy-microhei present"
fi

# ---- 2. code-server + playwright-core in .e2e/tools ---------------------------------------
CS="$TOOLS/node_modules/code-server"
if ((FORCE == 0)) && [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" && -f "$CS/out/node/entry.js" &&
  -d "$CS/lib/vscode/node_modules" && -f "$TOOLS/node_modules/playwright-core/package.json" ]]; then
  say "tools: $WANT already set up in .e2e/tools ($((SECONDS - t0)) s)"
  exit 0
fi
rm -f "$STAMP"
mkdir -p "$TOOLS"
cat >"$TOOLS/package.json" <<EOF
{
  "name": "capture-lens-e2e-tools",
  "private": true,
  "description": "Editor and browser driver for the e2e tests; installed by scripts/e2e-setup.sh, not by npm ci.",
  "dependencies": {
    "code-server": "$CODE_SERVER_VERSION",
    "playwright-core": "$PLAYWRIGHT_VERSION"
  }
}
EOF
cd "$TOOLS"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

say "npm: installing $WANT with --ignore-scripts (workaround 1)"
npm install --ignore-scripts --no-audit --no-fund --loglevel=error

SHRINK="$CS/lib/vscode/npm-shrinkwrap.json"
[[ -f "$SHRINK" ]] || die "missing $SHRINK"
REGISTRY="$(npm config get registry 2>/dev/null)"
REGISTRY="${REGISTRY%/}"
say "shrinkwrap: pointing @vscode/proxy-agent at $REGISTRY (workaround 2)"
SHRINK="$SHRINK" TARBALL="$REGISTRY/@vscode/proxy-agent/-/proxy-agent-$PROXY_AGENT_VERSION.tgz" node -e '
  const fs = require("fs");
  const file = process.env.SHRINK, tarball = process.env.TARBALL;
  const j = JSON.parse(fs.readFileSync(file, "utf8"));
  let n = 0;
  const fix = (key, e) => {
    if (e && typeof e === "object" && /(^|\/)@vscode\/proxy-agent$/.test(key) && /^git\+|^github:|^git:/.test(e.resolved || "")) {
      e.resolved = tarball; n++;
    }
  };
  for (const [k, e] of Object.entries(j.packages || {})) fix(k, e);
  for (const [k, e] of Object.entries(j.dependencies || {})) fix(k, e);
  if (n) fs.writeFileSync(file, JSON.stringify(j, null, 2) + "\n");
  console.log("[e2e-setup]   rewrote " + n + " entr" + (n === 1 ? "y" : "ies"));
'

export TMPDIR="$ROOT/.e2e/tmp"
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$RG_CACHE"
if [[ ! -s "$RG_CACHE/$RG_ASSET" ]]; then
  say "ripgrep: caching Debian's /usr/bin/rg as $RG_ASSET (workaround 3)"
  stage="$(mktemp -d)"
  cp /usr/bin/rg "$stage/rg"
  tar -czf "$RG_CACHE/$RG_ASSET" -C "$stage" rg
  rm -rf "$stage"
fi

say "npm: running install scripts (code-server installs its VS Code dependencies; ~2 min cold)"
npm_config_unsafe_perm=true npm rebuild --foreground-scripts --loglevel=error >"$ROOT/.e2e/setup-rebuild.log" 2>&1 || {
  tail -40 "$ROOT/.e2e/setup-rebuild.log" >&2
  die "npm rebuild failed (full log: .e2e/setup-rebuild.log)"
}

say "check: code-server --version"
# A scratch HOME/XDG and --config: code-server otherwise writes a config into the real home.
scratch="$ROOT/.e2e/tmp/version-check"
mkdir -p "$scratch"
HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache" \
  node "$CS/out/node/entry.js" --config "$scratch/config.yaml" --version | tail -1 | sed 's/^/[e2e-setup]   /' ||
  die "code-server does not start"
rm -rf "$scratch"
[[ -x "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]] || die "ripgrep binary missing in code-server"
echo "$WANT" >"$STAMP"
say "done in $((SECONDS - t0)) s"
