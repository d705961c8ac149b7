"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_RETRIES = exports.DEFAULT_TIMEOUT_MS = void 0;
exports.DEFAULT_TIMEOUT_MS = 10_000;
exports.DEFAULT_RETRIES = 2;
