"""Writes the artefacts the model serves in place of the real downloads (the real ones cannot be
fetched here): an NSSM 2.24-101 zip laid out as the release (nssm-<v>/win32, win64), a cloudflared
2026.9.3 exe, and the hand-installed tools of the guide (NSSM 2.24, an older cloudflared). Each "exe"
is a small Python program (run with -S: no site packages, a fast start) running the model of that tool;
the bytes are deterministic, so the
scenarios pin their SHA-256 through the tool-pin config keys (nssmSha256, cloudflaredSha256)."""
import os
import sys
import zipfile

LAUNCHER = "#!/usr/bin/python3 -S\n# model of %s %s\nimport os, sys\nsys.path.insert(0, os.environ['NOVA_MODEL_LIB'])\nimport %s\n%s.main(%r)\n"


def exe(tool, module, version):
    return (LAUNCHER % (tool, version, module, module, version)).encode()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, 0o755)


def main(out):
    v = "2.24-101-g897c7ad"
    with zipfile.ZipFile(os.path.join(out, "nssm-%s.zip" % v), "w") as z:
        for arch in ("win32", "win64"):
            info = zipfile.ZipInfo("nssm-%s/%s/nssm.exe" % (v, arch), date_time=(2017, 4, 26, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o100755 << 16   # keeps the exec bit through Expand-Archive on Linux
            z.writestr(info, exe("NSSM", "nssm_model", v))
    write(os.path.join(out, "cloudflared-windows-amd64-2026.9.3.exe"), exe("cloudflared", "cloudflared_model", "2026.9.3"))
    write(os.path.join(out, "guide-nssm-2.24.exe"), exe("NSSM", "nssm_model", "2.24"))
    write(os.path.join(out, "guide-cloudflared-2025.8.0.exe"), exe("cloudflared", "cloudflared_model", "2025.8.0"))


main(sys.argv[1])
