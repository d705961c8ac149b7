#!/usr/bin/env bash
# `npm run parity:update`: runs the PowerShell suites in model mode and rewrites
# test/ps/parity/expected.json from their step results (docs/HOST-MODEL.md, "Model parity").
set -euo pipefail
USAGE='usage: npm run parity:update [-- -h]
  Runs the host suites on the model and rewrites test/ps/parity/expected.json.
  -h, --help  this text'
for arg in "$@"; do
    case "$arg" in
        -h|--help) echo "$USAGE"; exit 0 ;;
        *) printf 'parity:update: unknown option "%s"\n%s\n' "$arg" "$USAGE" >&2; exit 1 ;;
    esac
done
cd "$(dirname "$0")/../.."
NOVA_PARITY_UPDATE=1 NOVA_HOST_MODE=model exec npx vitest run test/ps/psSuites.test.ts
