# Sourced by ./run serve: builds the frontend for production and starts the backend, whose app
# plugin serves that build on http://localhost:7007 (no dev server, no hot reload).
set -euo pipefail
echo "==> Building the frontend (packages/app/dist)" >&2
(cd packages/app && npx backstage-cli package build)
echo "==> Starting the backend with the built frontend on http://localhost:7007" >&2
cd packages/backend
exec npx backstage-cli package start \
  --config ../../app-config.yaml --config ../../app-config.serve.yaml "$@"
