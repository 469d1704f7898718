#!/usr/bin/env node
// Generates the code of the docr REST API from its one description,
// plugins/docr-backend/src/schema/openapi.yaml:
//
// - plugins/docr-backend/src/schema/openapi/generated/: the spec as a constant and
//   `createOpenApiRouter` (router.ts, validating requests with @backstage/backend-openapi-utils),
//   the request and response types of each route (apis/Api.server.ts, EndpointMap) and models/;
// - plugins/docr-common/src/schema/openapi/generated/: the typed client (DefaultApiClient) and
//   the same models, the wire types the frontend and the backend share.
//
// The files have the layout and shape of `backstage-repo-tools package schema openapi generate
// --server --client-package plugins/docr-common`; that command runs openapi-generator, a Java
// program fetched from Maven Central at its first run, which this project's machines cannot
// reach, so this script writes the same files from the spec in Node.
//
//   node scripts/openapi/generate.mjs          (npm run generate:openapi) writes them
//   node scripts/openapi/generate.mjs --check  fails naming each file that differs
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { modelFile, modelName, modelsIndex, header } from './typescript.mjs';
import {
  clientApi,
  clientSupport,
  serverApi,
  serverRouter,
  serverSupport,
} from './apis.mjs';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const backendDir = path.join(root, 'plugins/docr-backend');
const commonDir = path.join(root, 'plugins/docr-common');
const specPath = path.join(backendDir, 'src/schema/openapi.yaml');
const check = process.argv.includes('--check');

// The YAML reader and the validator @backstage/repo-tools itself uses for OpenAPI specs.
const repoTools = createRequire(
  createRequire(import.meta.url).resolve('@backstage/repo-tools/package.json'),
);
const yaml = repoTools('js-yaml');
const SwaggerParser = repoTools('@apidevtools/swagger-parser');
const require = createRequire(import.meta.url);
const prettier = require('prettier');

function models(spec) {
  const names = Object.keys(spec.components.schemas);
  return {
    ...Object.fromEntries(
      names.map(name => [
        `models/${modelFileName(name)}`,
        modelFile(name, spec.components.schemas[name]),
      ]),
    ),
    'models/index.ts': modelsIndex(names),
  };
}

const modelFileName = name =>
  `${['Error', 'Date', 'Object', 'Array', 'Record'].includes(name) ? `Model${name}` : name}.model.ts`;

/** Every generated file, by its path from the repository's root. */
function generatedFiles(spec) {
  const files = {};
  const add = (dir, entries) => {
    for (const [file, text] of Object.entries(entries))
      files[path.join(dir, file)] = text;
  };
  const server = 'plugins/docr-backend/src/schema/openapi/generated';
  add(server, {
    // The server's models are the client package's: one definition of each wire type.
    'models/index.ts': `${header}\nexport type {\n${Object.keys(
      spec.components.schemas,
    )
      .map(modelName)
      .sort()
      .map(n => `  ${n},\n`)
      .join('')}} from '@backstage-docr/plugin-docr-common';\n`,
    ...serverSupport(),
    'apis/Api.server.ts': serverApi(spec),
    'router.ts': serverRouter(spec),
  });
  const client = 'plugins/docr-common/src/schema/openapi/generated';
  add(client, {
    ...models(spec),
    ...clientSupport('docr'),
    'apis/Api.client.ts': clientApi(spec),
  });
  const index = `${header}\nexport * from './generated';\n`;
  files['plugins/docr-backend/src/schema/openapi/index.ts'] = index;
  files['plugins/docr-common/src/schema/openapi/index.ts'] = index;
  return files;
}

const listFiles = dir =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter(entry => entry.isFile())
        .map(entry =>
          path.relative(root, path.join(entry.parentPath, entry.name)),
        )
    : [];

async function main() {
  const spec = yaml.load(fs.readFileSync(specPath, 'utf8'));
  await SwaggerParser.validate(structuredClone(spec));
  const files = generatedFiles(spec);
  const problems = [];
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(root, file);
    const options = await prettier.resolveConfig(target);
    const formatted = await prettier.format(text, {
      ...options,
      filepath: target,
    });
    const current = fs.existsSync(target)
      ? fs.readFileSync(target, 'utf8')
      : undefined;
    if (current === formatted) continue;
    if (check) {
      problems.push(
        `${file} ${current === undefined ? 'is missing' : 'is not what the spec generates'}`,
      );
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, formatted);
    }
  }
  for (const dir of [backendDir, commonDir]) {
    for (const file of listFiles(
      path.join(dir, 'src/schema/openapi/generated'),
    )) {
      if (file in files) continue;
      if (check) problems.push(`${file} is not generated from the spec`);
      else fs.rmSync(path.join(root, file));
    }
  }
  if (problems.length) {
    console.error(
      `The docr REST API's generated code is out of date with ${path.relative(root, specPath)}:\n  ${problems.join('\n  ')}\nRun: npm run generate:openapi (and commit the result)`,
    );
    process.exit(1);
  }
  console.log(
    check
      ? 'The docr REST API code is what its OpenAPI spec generates'
      : `Generated ${Object.keys(files).length} files from ${path.relative(root, specPath)}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
