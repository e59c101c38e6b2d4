// Injected by esbuild into the CommonJS bundle: what `import.meta.url` means in an ES module.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
