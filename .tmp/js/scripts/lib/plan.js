"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.standInForSecrets = standInForSecrets;
exports.planOffline = planOffline;
/**
 * The offline plan: validates a stack file's configuration, stands in for the secrets it cannot
 * decrypt, runs the real program under the mock runtime and returns one JSON document.
 */
const config_1 = require("../../components/config");
const secrets_1 = require("../../components/config/secrets");
const offlineFixtures_1 = require("./offlineFixtures");
const mockRuntime_1 = require("./mockRuntime");
const redact_1 = require("./redact");
const stackFile_1 = require("./stackFile");
function secretName(req) {
    return req.path === undefined ? `nova:${req.key}` : `nova:${req.key}.${req.path}`;
}
/** Adds placeholders for the required secrets the stack file does not hold; returns those. */
function standInForSecrets(stackConfig, config) {
    const values = { ...stackConfig.values };
    const secretKeys = new Set(stackConfig.secretKeys);
    const missing = [];
    for (const req of (0, config_1.requiredSecrets)(config)) {
        const full = `nova:${req.key}`;
        if (req.path === undefined) {
            if (values[full] !== undefined)
                continue;
            values[full] = (0, stackFile_1.placeholder)(full);
        }
        else {
            const env = JSON.parse(values[full] ?? "{}");
            if (env[req.path] !== undefined)
                continue;
            env[req.path] = (0, stackFile_1.placeholder)(secretName(req));
            values[full] = JSON.stringify(env);
        }
        secretKeys.add(full);
        missing.push(req);
    }
    return { stackConfig: { stack: stackConfig.stack, values, secretKeys: [...secretKeys] }, missing };
}
/** Plans a stack offline with the given program (index.ts's export). */
async function planOffline(stackConfig, program) {
    const rawOf = (values) => (key) => values[`nova:${key}`];
    const first = (0, config_1.collectNovaConfig)(rawOf(stackConfig.values), stackConfig.stack);
    if (first.problems.length > 0)
        throw new config_1.NovaConfigError(first.problems);
    const { stackConfig: filled, missing } = standInForSecrets(stackConfig, first.config);
    const problems = (0, secrets_1.secretProblems)(first.config, rawOf(filled.values));
    if (problems.length > 0)
        throw new config_1.NovaConfigError(problems);
    const run = await (0, mockRuntime_1.runUnderMocks)(program, { project: "nova", stack: filled.stack, config: filled.values, secretKeys: filled.secretKeys });
    const document = {
        stack: filled.stack,
        resources: run.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, inputs: (0, redact_1.redact)(r.inputs) })),
        outputs: (0, redact_1.redact)(run.outputs),
        secretsToSet: missing.map((req) => ({ key: secretName(req), command: (0, config_1.setCommand)(req) })),
        fixtures: { zoneId: offlineFixtures_1.OFFLINE_ZONE_ID, cloudflareIpRangesRecordedOn: offlineFixtures_1.CLOUDFLARE_IP_RANGES_SNAPSHOT.recordedOn },
    };
    return { document, config: first.config, run };
}
