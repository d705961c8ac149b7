"use strict";
/**
 * The validated, immutable shape of one stack's configuration. `config.ts` builds it from
 * `pulumi.Config("nova")`; every component and script reads it, never the raw config.
 */
Object.defineProperty(exports, "__esModule", { value: true });
