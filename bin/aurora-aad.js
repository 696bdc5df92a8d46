#!/usr/bin/env node
// The `aurora-aad` command. The CLI is TypeScript run through tsx's loader,
// so a fresh clone works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
