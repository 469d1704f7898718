# Sourced by ./run serve: builds the frontend for production and starts the backend, whose app
# plugin serves that build on http://localhost:7007, as a deployed Backstage runs: one node
# process, no dev server, no hot reload, no restart when a source file changes (backstage-cli
# package start would restart it, losing the in-memory database, on every edit in the tree).
#
#   ./run serve [--no-build] [--port N] [--emulator-port N] [backend options, e.g. --config FILE]
#
# --no-build serves packages/app/dist as it is; --port and --emulator-port move the backend (and
# the app's URLs) and the emulator off 7007 and 4010, e.g. beside ./run start.
set -euo pipefail
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --port)
      export APP_CONFIG_app_baseUrl="http://localhost:$2"
      export APP_CONFIG_backend_baseUrl="http://localhost:$2"
      export APP_CONFIG_backend_listen_port="$2"
      export APP_CONFIG_backend_cors_origin="http://localhost:$2"
      shift 2 ;;
    --emulator-port) export APP_CONFIG_digitalocean_emulator_port="$2"; shift 2 ;;
    *) break ;;
  esac
done
if [ "$build" = 1 ]; then
  echo "==> Building the frontend (packages/app/dist)" >&2
  (cd packages/app && npx backstage-cli package build)
fi
echo "==> Starting the backend with the built frontend on http://localhost:${APP_CONFIG_backend_listen_port:-7007}" >&2
cd packages/backend
# The backend runs from its TypeScript sources through Backstage's transform (as `package start`
# does, without its file watcher). NODE_ENV stays development: the emulator refuses production.
export NODE_ENV="${NODE_ENV:-development}"
export ESBK_TSCONFIG_PATH="$PWD/../../tsconfig.json"
exec node --enable-source-maps \
  --require "$PWD/../../node_modules/@backstage/cli/config/nodeTransform.cjs" \
  src/index.ts --config ../../app-config.yaml --config ../../app-config.serve.yaml "$@"
