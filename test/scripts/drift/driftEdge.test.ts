import { describe, expect, it } from "vitest";
import { driftFromEvents, driftOfStep, edgeOutcome, refreshCliArgs, refreshOptions } from "../../../scripts/drift/edge";
import { findOnPath, NO_CLI, realPulumi } from "../../../scripts/drift/pulumiRunner";
import { DETAILED_DIFF_EVENT, LOGIN_FAILURE, REFRESH_EVENTS, TUNNEL_CONFIG_SRC_CHANGED_EVENT, TUNNEL_RECONNECTED_EVENT } from "../../support/fixtures/refreshEvents";

const ZONE = "urn:pulumi:prod::nova::nova:dns:NovaDns$cloudflare:index/zoneSetting:ZoneSetting::nova-setting-always-use-https";
const DNS = "urn:pulumi:prod::nova::nova:dns:NovaDns$cloudflare:index/dnsRecord:DnsRecord::nova-record";
const RULESET = "urn:pulumi:prod::nova::nova:rules:NovaRules$cloudflare:index/ruleset:Ruleset::nova-redirect";
const TUNNEL = "urn:pulumi:prod::nova::nova:tunnel:NovaTunnel$cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared::nova-tunnel";

describe("edge refresh arguments", () => {
    it("asks for a failing preview on any change, secrets hidden, events collected", () => {
        const seen: unknown[] = [];
        const opts = refreshOptions((e) => seen.push(e));
        expect({ ...opts, onEvent: undefined }).toEqual({ expectNoChanges: true, showSecrets: false, onEvent: undefined });
        opts.onEvent?.(REFRESH_EVENTS[0]);
        expect(seen).toEqual([REFRESH_EVENTS[0]]);
    });

    it("prints the equivalent CLI command", () => {
        expect(refreshCliArgs("prod")).toEqual(["refresh", "--preview-only", "--expect-no-changes", "--stack", "prod"]);
    });
});

describe("edge drift from engine events", () => {
    it("lists the changed setting and the deleted record, not identical or unread resources", () => {
        expect(driftFromEvents(REFRESH_EVENTS)).toEqual([
            { urn: DNS, type: "cloudflare:index/dnsRecord:DnsRecord", change: "delete", properties: [] },
            { urn: ZONE, type: "cloudflare:index/zoneSetting:ZoneSetting", change: "update", properties: ["value"] },
        ]);
    });

    it("finds no drift when only the tunnel's computed outputs changed (connectors reconnected)", () => {
        expect(driftFromEvents([TUNNEL_RECONNECTED_EVENT])).toEqual([]);
        expect(driftFromEvents([...REFRESH_EVENTS, TUNNEL_RECONNECTED_EVENT]).map((d) => d.urn)).toEqual([DNS, ZONE]);
        expect(edgeOutcome([TUNNEL_RECONNECTED_EVENT])).toEqual({ status: "checked", drift: [] });
    });

    it("still reports a changed property the program sets, without the computed ones that changed with it", () => {
        expect(driftFromEvents([TUNNEL_CONFIG_SRC_CHANGED_EVENT])).toEqual([
            { urn: TUNNEL, type: "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", change: "update", properties: ["configSrc"] },
        ]);
    });

    it("uses the engine's diff when it gives one, even where the read-back inputs are unchanged", () => {
        const metadata = { ...TUNNEL_RECONNECTED_EVENT.resOutputsEvent!.metadata, diffs: ["name"] };
        expect(driftOfStep(metadata)).toEqual({ urn: TUNNEL, type: metadata.type, change: "update", properties: ["name"] });
    });

    it("uses the engine's detailed diff when given, reduced to top-level properties", () => {
        expect(driftFromEvents([...REFRESH_EVENTS, DETAILED_DIFF_EVENT]).find((d) => d.urn === RULESET)).toEqual({
            urn: RULESET,
            type: "cloudflare:index/ruleset:Ruleset",
            change: "update",
            properties: ["rules"],
        });
    });

    it("reports other operations by name with their diff keys", () => {
        expect(driftOfStep({ op: "replace", urn: "u", type: "t", provider: "", diffs: ["name", "config.ingresses[1]"] })).toEqual({
            urn: "u",
            type: "t",
            change: "replace",
            properties: ["config", "name"],
        });
        expect(driftOfStep({ op: "same", urn: "u", type: "t", provider: "" })).toBeUndefined();
    });

    it("reads the CLI's failure as drift when the events show drift, else as could not check", () => {
        expect(edgeOutcome(REFRESH_EVENTS, "error: no changes were expected but changes were proposed")).toMatchObject({ status: "checked" });
        expect(edgeOutcome(REFRESH_EVENTS.slice(0, 3), LOGIN_FAILURE)).toEqual({
            status: "unavailable",
            reason: 'pulumi refresh failed: error: failed to load checkpoint: blob (key ".pulumi/stacks/nova/prod.json") (code=Unknown): NoCredentialProviders: no valid providers in chain',
        });
        expect(edgeOutcome(REFRESH_EVENTS.slice(0, 3))).toEqual({ status: "checked", drift: [] });
    });
});

describe("Pulumi CLI presence", () => {
    it("finds executables on a given PATH only", () => {
        expect(findOnPath("sh", "/nonexistent:/bin")).toBe("/bin/sh");
        expect(findOnPath("sh", "/nonexistent")).toBeUndefined();
    });

    it("reports could not check when the CLI is missing", async () => {
        const saved = process.env.PATH;
        process.env.PATH = "/nonexistent";
        try {
            expect(await realPulumi.previewRefresh("prod", process.cwd())).toEqual({ status: "unavailable", reason: NO_CLI });
        } finally {
            process.env.PATH = saved;
        }
    });
});
