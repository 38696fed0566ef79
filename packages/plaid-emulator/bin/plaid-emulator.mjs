#!/usr/bin/env node
// The `plaid-emulator` command: the CLI is TypeScript, so load it through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
