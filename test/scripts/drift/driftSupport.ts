/** Shared by the tests of drift*.test.ts: their fixtures and helpers. */
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, FAKE_SECRETS } from "../../support/fixtures/configs";

export const SECRETS = { tunnelToken: FAKE_SECRETS.tunnelToken, appSecretEnv: { ANTHROPIC_API_KEY: FAKE_SECRETS.ANTHROPIC_API_KEY, OPENAI_API_KEY: FAKE_SECRETS.OPENAI_API_KEY } };
export const RANGES = { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 };
/** Calls of the secret lookup in a script, beyond the function's own definition. */
export const secretCalls = (text: string): number => text.split("Get-NovaSecret ").length - 1;
