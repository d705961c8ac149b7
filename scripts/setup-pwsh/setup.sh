#!/usr/bin/env bash
# `npm run setup:pwsh`: installs PowerShell 7 and Pester into .tools/ (git-ignored), for the PowerShell
# suites (test/ps). Idempotent: what is present is kept; the Pester package is checked against its pin.
# Needs the .NET SDK (`dotnet`) and the NuGet feed; nothing else is downloaded.
set -euo pipefail
USAGE='usage: npm run setup:pwsh [-- -h]
Installs PowerShell 7 and Pester into .tools/ for the PowerShell suites (test/ps); present ones are kept.
  -h, --help  this text'
for arg in "$@"; do
    case "$arg" in
        -h|--help) echo "$USAGE"; exit 0 ;;
        *) printf 'setup:pwsh: unknown option "%s"\n%s\n' "$arg" "$USAGE" >&2; exit 1 ;;
    esac
done
cd "$(dirname "$0")/../.."

PWSH_VERSION=7.6.9
PESTER_VERSION=5.7.1
# SHA-256 of pester.5.7.1.nupkg as served by the NuGet feed (computed on download). Cross-checked with
# `dotnet nuget verify --all pester.5.7.1.nupkg`: author signature CN=Jakub Jareš, repository signature
# "NuGet.org Repository by Microsoft", signed content hash (SHA-512) 8aGrU8KBVW2SWhyTGzBQtQsUZxgcRiHTrpA+
# NIOOAcGuKSyFh7yyEQXRUNk1DY9/Ky34bDg7U6KStnZA4TcVWQ==. SHA-512 of the whole file, base64 (the form of
# nuget.org's catalog packageHash, which the registration reachable here does not carry):
# BBlkmq6gt4OyTtBul9a+erBAEBjX1Pko51UHQnV4STugkn1Gs/quiRJ+WIBACKd0cyoy9MzJv5+t5hxZqVZL1A==.
PESTER_SHA256=3c6dad5fb143faf19709dfb28c31c873989944705a087e160e23b7ce462e37a1
PESTER_URL="https://api.nuget.org/v3-flatcontainer/pester/${PESTER_VERSION}/pester.${PESTER_VERSION}.nupkg"

TOOLS=.tools
PWSH="$TOOLS/pwsh/pwsh"
PESTER_DIR="$TOOLS/Modules/Pester/$PESTER_VERSION"

if [ -x "$PWSH" ] && [ "$("$PWSH" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()')" = "$PWSH_VERSION" ]; then
    echo "pwsh $PWSH_VERSION: present ($PWSH)"
else
    command -v dotnet >/dev/null || { echo "setup:pwsh needs the .NET SDK (dotnet) to install PowerShell $PWSH_VERSION" >&2; exit 1; }
    rm -rf "$TOOLS/pwsh"
    dotnet tool install PowerShell --version "$PWSH_VERSION" --tool-path "$TOOLS/pwsh" >/dev/null
    echo "pwsh $PWSH_VERSION: installed ($PWSH)"
fi

if [ -f "$PESTER_DIR/.nupkg.sha256" ] && [ "$(cat "$PESTER_DIR/.nupkg.sha256")" = "$PESTER_SHA256" ] && [ -f "$PESTER_DIR/Pester.psd1" ]; then
    echo "Pester $PESTER_VERSION: present ($PESTER_DIR)"
else
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    curl -fsSL --retry 3 -o "$tmp/pester.nupkg" "$PESTER_URL"
    got=$(sha256sum "$tmp/pester.nupkg" | cut -d' ' -f1)
    if [ "$got" != "$PESTER_SHA256" ]; then
        echo "Pester $PESTER_VERSION: SHA-256 mismatch (expected $PESTER_SHA256, got $got); nothing installed" >&2
        exit 1
    fi
    rm -rf "$PESTER_DIR"
    mkdir -p "$PESTER_DIR"
    # The nupkg is a zip; its tools/ folder is the module.
    python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.startswith("tools/") and not n.endswith("/"):
        z.extract(n, sys.argv[2])' "$tmp/pester.nupkg" "$tmp/x"
    cp -R "$tmp/x/tools/." "$PESTER_DIR/"
    echo "$PESTER_SHA256" > "$PESTER_DIR/.nupkg.sha256"
    echo "Pester $PESTER_VERSION: installed ($PESTER_DIR)"
fi
