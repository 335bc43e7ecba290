// Loads TypeScript sources on the fly (SWC) with the tsconfig @app/* aliases, so API, worker,
// migrations and seeds run from source without a separate build step.
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('path').join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
