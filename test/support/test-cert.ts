/** A throwaway CA and a server certificate for one DNS name, made with the openssl CLI. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface TestCert {
    readonly ca: Buffer;
    readonly key: Buffer;
    readonly cert: Buffer;
    readonly caFile: string;
    readonly dir: string;
}

/** `subjectAltName` defaults to the DNS name; pass e.g. `IP:127.0.0.1` for a certificate on an address. */
export function makeTestCert(dnsName: string, subjectAltName = `DNS:${dnsName}`): TestCert {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nova-verify-"));
    const f = (name: string): string => path.join(dir, name);
    const openssl = (...args: string[]): void => {
        execFileSync("openssl", args, { stdio: "pipe" });
    };
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl("req", "-x509", ...ec, "-keyout", f("ca.key"), "-out", f("ca.pem"), "-days", "2", "-subj", "/CN=nova-verify test CA");
    openssl("req", ...ec, "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", `/CN=${dnsName}`);
    fs.writeFileSync(f("ext.cnf"), `subjectAltName=${subjectAltName}\n`);
    openssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial",
        "-out", f("server.pem"), "-days", "2", "-extfile", f("ext.cnf"));
    return { ca: fs.readFileSync(f("ca.pem")), key: fs.readFileSync(f("server.key")), cert: fs.readFileSync(f("server.pem")), caFile: f("ca.pem"), dir };
}
