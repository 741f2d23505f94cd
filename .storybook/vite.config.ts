import { defineConfig } from 'vite';

// Decorators compile from tsconfig.json (experimentalDecorators, useDefineForClassFields: false),
// which Vite reads for every .ts file it transforms; nothing else is needed here.
export default defineConfig({ logLevel: 'warn' });
