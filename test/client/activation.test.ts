// The client's "is this document worth starting the server for" check: file names, settings and the content sniff.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  candidateVerdict,
  isCandidateDocument,
  manifestFileGlobs,
  SERVED_LANGUAGES,
  servedDocumentSelector,
  SNIFF_LIMIT,
  type CandidateDocument,
  type CandidateSettings,
} from '../../client/src/activation';
import { chooseDialect } from '../../server/src/lsp/analysisCache';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/settings';
import { detectDialect } from '../../server/src/core/dialects/index';
import { parseTree } from '../../server/src/core/syntax/parse';

const ROOT = path.resolve(__dirname, '..', '..');
const MANIFEST = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as unknown;
const GLOBS = manifestFileGlobs(MANIFEST);

function document(
  file: string,
  text: string,
  languageId = file.endsWith('.json') ? 'json' : 'yaml',
  scheme = 'file',
): CandidateDocument {
  return { languageId, scheme, path: file, text };
}

function check(doc: CandidateDocument, expected: boolean, settings: CandidateSettings = {}): void {
  const verdict = candidateVerdict(doc, settings, GLOBS);
  assert.equal(
    verdict.candidate,
    expected,
    `${doc.path}: expected ${expected ? 'a candidate' : 'no candidate'}, got ${verdict.reason}`,
  );
  assert.ok(verdict.reason.length > 0);
}

const DEEPSPEED = '{\n  "train_batch_size": 32,\n  "optimizer": {"type": "AdamW", "params": {"lr": 1e-4}}\n}\n';
const LIGHTNING =
  'model:\n  class_path: my.Model\noptimizer:\n  class_path: torch.optim.AdamW\n  init_args:\n    lr: 0.001\n';
const HYDRA = 'defaults:\n  - _self_\noptim:\n  _target_: torch.optim.SGD\n  lr: 0.1\n';
const HYDRA_OVERRIDE = 'defaults:\n  - override /optimizer: adamw\n';
const TORCHTUNE = 'optimizer:\n  _component_: torch.optim.AdamW\n  lr: 3e-4\nepochs: 1\n';
const HUGGING_FACE = 'model_name_or_path: gpt2\nlearning_rate: 2.0e-5\nlr_scheduler_type: cosine\nwarmup_ratio: 0.1\n';
const PACKAGE_JSON =
  '{\n  "name": "web-app",\n  "description": "A learning_rate slider and an optimizer demo",\n  "scripts": {"build": "tsc"}\n}\n';
const COMPOSE_YAML = 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n';

test('the manifest globs are read from package.json: the DeepSpeed names and *.optim.*', () => {
  for (const glob of [
    'ds_config*.json',
    'deepspeed*.json',
    '**/deepspeed_configs/*.json',
    '*.optim.json',
    '*.optim.yaml',
  ]) {
    assert.ok(GLOBS.includes(glob), `${glob} missing from ${JSON.stringify(GLOBS)}`);
  }
  assert.deepEqual(manifestFileGlobs(null), []);
  assert.deepEqual(
    manifestFileGlobs({ contributes: { jsonValidation: [{ fileMatch: 'a.json' }, { url: 'x' }, null] } }),
    ['a.json'],
  );
});

test('a DeepSpeed config is a candidate by its name, even before it has content', () => {
  check(document('/w/ds_config.json', '{}'), true);
  check(document('/w/configs/ds_config_zero3.json', ''), true);
  check(document('/w/deepspeed_configs/stage2.json', '{}'), true);
});

test('configs of every dialect are candidates by their content, whatever their name', () => {
  check(document('/w/train.json', DEEPSPEED), true);
  check(document('/w/cli.yaml', LIGHTNING), true);
  check(document('/w/conf/config.yaml', HYDRA), true);
  check(document('/w/conf/experiment/big.yaml', HYDRA_OVERRIDE), true);
  check(document('/w/conf/optim/adamw.yaml', '# @package _global_\nlr: 0.1\n'), true);
  check(document('/w/recipe.yml', HUGGING_FACE), true);
  check(document('/w/llama3_2/1B_lora_single_device.yaml', TORCHTUNE), true);
  check(document('/w/args.json', '{"learning_rate": 3e-4, "num_train_epochs": 3}'), true);
  check(document('/w/flow.yaml', '- optimizer: sgd\n'), true);
});

/** Every YAML/JSON file of the real-world corpus and the examples, with its path relative to the repository. */
function corpusFiles(): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/i.test(entry.name)) found.push(full);
    }
  };
  walk(path.join(ROOT, 'test', 'fixtures', 'corpus'));
  walk(path.join(ROOT, 'examples'));
  return found;
}

test('every corpus file the server detects as a config is a candidate (the sniff never says no to a real config)', () => {
  const samples: [string, string][] = [
    ['/w/train.json', DEEPSPEED],
    ['/w/cli.yaml', LIGHTNING],
    ['/w/config.yaml', HYDRA],
    ['/w/recipe.yml', HUGGING_FACE],
  ];
  for (const file of corpusFiles()) samples.push([file, readFileSync(file, 'utf8')]);
  let detected = 0;
  for (const [file, text] of samples) {
    const isJson = file.endsWith('.json');
    if (!detectDialect(parseTree(text, isJson ? 'json' : 'yaml'), file)) continue;
    detected++;
    check(document(file, text, isJson ? 'json' : 'yaml'), true);
  }
  assert.ok(detected >= 40, `only ${detected} corpus files are detected as configs; is the corpus still there?`);
});

test('unrelated YAML and JSON files are not candidates: a word in a value is not a config key', () => {
  check(document('/w/package.json', PACKAGE_JSON), false);
  check(document('/w/docker-compose.yaml', COMPOSE_YAML), false);
  check(document('/w/tsconfig.json', '{"compilerOptions": {"strict": true}}'), false);
  check(document('/w/notes.yaml', 'text: "set the optimizer: adam"\n'), false);
});

test('the optim language is a candidate on disk, untitled and remote; YAML and JSON only from disk', () => {
  check(document('/w/a.optim.yaml', '', 'optim'), true);
  check(document('Untitled-1', '', 'optim', 'untitled'), true);
  check(document('/w/a.optim.yaml', '', 'optim', 'vscode-remote'), true);
  check(document('Untitled-1', DEEPSPEED, 'json', 'untitled'), false);
  check(document('/w/a.md', '# optimizer: adam', 'markdown'), false);
  check(document('/w/a.py', 'optimizer = 1', 'python'), false);
});

test('the document selector serves what the candidate check accepts: optim on disk, untitled and remote; YAML and JSON from disk', () => {
  assert.deepEqual(servedDocumentSelector(), [
    { language: 'optim', scheme: 'file' },
    { language: 'optim', scheme: 'untitled' },
    { language: 'optim', scheme: 'vscode-remote' },
    { language: 'yaml', scheme: 'file' },
    { language: 'json', scheme: 'file' },
    { language: 'jsonc', scheme: 'file' },
  ]);
  assert.deepEqual([...SERVED_LANGUAGES], ['optim', 'yaml', 'json', 'jsonc']);
  for (const { language, scheme } of servedDocumentSelector()) {
    const verdict = candidateVerdict(document('/w/a.optim.yaml', '', language, scheme), {}, ['**/*.optim.yaml']);
    assert.equal(verdict.candidate, true, `${language} from ${scheme}: ${verdict.reason}`);
  }
});

test('settings: exclude wins, associations add, detectDialects off stops the sniff but not names', () => {
  check(document('/w/ds_config.json', DEEPSPEED), false, { exclude: ['**/ds_config.json'] });
  check(document('/w/a.optim.yaml', '', 'optim'), false, { exclude: ['*.optim.yaml'] });
  check(document('/w/configs/run.json', '{}'), true, { associations: { '**/configs/*.json': 'deepspeed' } });
  check(document('/w/train.json', DEEPSPEED), false, { detectDialects: false });
  check(document('/w/ds_config.json', '{}'), true, { detectDialects: false });
  // Malformed settings are ignored rather than thrown on.
  check(document('/w/train.json', DEEPSPEED), true, { exclude: 'not a list', associations: 7, detectDialects: 'yes' });
  check(document('/w/train.json', DEEPSPEED), true, { exclude: ['[unclosed'] });
});

test('exclude and association globs match the same files as the server does', () => {
  const files = ['/w/ds_config.json', '/w/configs/run.json', '/w/a/b/c.yaml', '/w/.hidden/x.yaml', '/w/x.optim.yaml'];
  const globs = ['*.json', '**/configs/*.json', 'configs/*.json', '**/.hidden/**', 'c.yaml', '/w/a/**'];
  for (const file of files) {
    for (const glob of globs) {
      const server =
        chooseDialect({ uri: `file://${file}`, languageId: 'yaml' }, { ...DEFAULT_SETTINGS, exclude: [glob] }) === null;
      const client = !isCandidateDocument(document(file, 'optimizer: {}', 'yaml'), { exclude: [glob] }, []);
      assert.equal(client, server, `${glob} on ${file}: client says excluded=${client}, server ${server}`);
    }
  }
});

test('only the head of a huge file is sniffed', () => {
  const filler = `# ${'x'.repeat(80)}\n`.repeat(Math.ceil(SNIFF_LIMIT / 83) + 10);
  check(document('/w/big.yaml', `optimizer:\n  type: SGD\n${filler}`), true);
  check(document('/w/big.yaml', `${filler}optimizer:\n  type: SGD\n`), false);
});

test('activation events: YAML and JSON wake the extension, jsonc does not (VS Code opens its settings.json as jsonc in every window)', () => {
  const events = (MANIFEST as { activationEvents: string[] }).activationEvents;
  for (const event of ['onLanguage:optim', 'onLanguage:json', 'onLanguage:yaml'])
    assert.ok(events.includes(event), `${event} missing`);
  assert.ok(
    !events.includes('onLanguage:jsonc'),
    'onLanguage:jsonc would activate the extension at startup in every workspace',
  );
  assert.ok(
    !events.some((event) => event === '*' || event === 'onStartupFinished' || event.startsWith('workspaceContains:')),
    'an eager activation event',
  );
});

test('Workspace Trust is declared limited, with the interpreter setting restricted', () => {
  const trust = (
    MANIFEST as {
      capabilities?: {
        untrustedWorkspaces?: { supported?: unknown; description?: unknown; restrictedConfigurations?: unknown };
      };
    }
  ).capabilities?.untrustedWorkspaces;
  assert.equal(trust?.supported, 'limited');
  assert.match(String(trust?.description), /trusted workspace/);
  assert.deepEqual(trust?.restrictedConfigurations, ['optimizerLens.python.interpreter']);
});
