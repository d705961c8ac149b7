/** Shared by the tests of stepsContent*.test.ts: their fixtures and helpers. */
import { beforeAll } from "vitest";
import { renderHostStep } from "../../../../components/host/steps";
import { serviceSid } from "../../../../components/host/serviceAccount";
import type { NovaConfig } from "../../../../components/types";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, sshHost } from "../../../support/fixtures/configs";
import { initPowerShellParser, singleQuotedValues } from "../../../support/powershellParse";

beforeAll(initPowerShellParser);

/** The SID of NT SERVICE\NOVA-Backend (test/components/host/serviceAccount.test.ts checks the derivation). */
export const NOVA_BACKEND_SID = serviceSid("NOVA-Backend");

export const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
export const render = (name: Parameters<typeof renderHostStep>[0], cfg: NovaConfig) => renderHostStep(name, cfg, sshHost, inputs);

/** The values of the single-quoted literals on the line that starts with `prefix`. */
export function valuesOnLine(script: string, prefix: string): string[] {
    const line = script.split("\n").find((l) => l.trimStart().startsWith(prefix));
    if (line === undefined) throw new Error(`no line starting with ${prefix}`);
    return singleQuotedValues(line);
}
