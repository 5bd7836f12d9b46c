// The real-world corpus (test/fixtures/corpus, see its MANIFEST.md): every file is linted without a crash, the genuine
// mistakes are found, and every diagnostic given is listed here with its reason.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analysis';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'corpus');

function corpusFiles(): string[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) => readdirSync(path.join(CORPUS, dir.name)).map((file) => `${dir.name}/${file}`))
    .sort();
}

function lint(file: string) {
  const text = readFileSync(path.join(CORPUS, file), 'utf8');
  const analysis = analyze(text, { format: file.endsWith('.json') ? 'json' : 'yaml', dialect: 'auto', fileName: file });
  return { text, analysis };
}

/**
 * Every diagnostic each file gets, as `severity code`, with the reason. A file missing here gets none.
 * Reasons: OL300 the file relies on the HF/Accelerate integration's "auto"; OL325 epochs without max_steps (run length
 * unknown); OL324 warmup_ratio is deprecated in recent transformers; OL004 the literal is a string under PyYAML
 * (axolotl's pydantic coerces it back, HfArgumentParser-based loaders do not).
 */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  'deepspeed/accelerate_tests_ds_config_zero3.json': ['info OL300'],
  'deepspeed/accelerate_zero_stage3_offload_config.json': ['info OL300'],
  'deepspeed/axolotl_zero3_bf16_cpuoffload_all.json': ['info OL300'],
  // MANIFEST mistake 4: the deprecated ZeRO key.
  'deepspeed/bigscience_jz_ds_zero2.json': ['info OL300', 'warning OL107'],
  // MANIFEST mistake 3: `train_step_batch_size` is not a DeepSpeed key. Its "Adam" with weight decay is AdamW (OL304).
  'deepspeed/dse_qanet_bsz512_1cycle.json': ['warning OL301', 'info OL304'],
  // A shell template: unquoted ${...} placeholders are syntax errors, reported instead of crashing.
  'deepspeed/dse_tp_hf_integration_ds_config_temp.json': ['info OL300', 'error OL001', 'error OL001', 'error OL001', 'error OL001'],
  'deepspeed/transformers_tests_ds_config_zero2.json': ['info OL300'],
  // lr 1e-6 is 10x below AdamW's usual range: a DPO learning rate, reported as information only.
  'hf/alignment-handbook_smollm3_dpo_apo.yaml': ['info OL208', 'info OL324', 'hint OL325'],
  'hf/alignment-handbook_zephyr-7b-beta_dpo_config_qlora.yaml': ['info OL324', 'hint OL325'],
  'hf/alignment-handbook_zephyr-7b-beta_sft_config_full.yaml': ['info OL324', 'hint OL325'],
  'hf/axolotl_llama-3_3b-fp8-fsdp2.yaml': ['warning OL004'],
  'hf/axolotl_llama-3_fft-8b.yaml': ['warning OL004', 'hint OL325'],
  'hf/llamafactory_galore_llama3_full_sft.yaml': ['info OL324', 'hint OL325'],
  'hf/llamafactory_megatron_qwen3_moe_full.yaml': ['warning OL004'],
  'hf/trl_cli_example_config.yaml': ['hint OL325'],
  // MANIFEST mistake 1: warm-up 200 > max_steps 100, so the cosine never decays either (OL211).
  'lightning/litgpt_finetune_phi-2_full.yaml': ['warning OL200', 'warning OL211'],
  // MANIFEST mistake 2: T_max 20 epochs against max_epochs 1000.
  'lightning/terratorch_object_detection_aed_elephants_base.yaml': ['warning OL206'],
};

describe('the real-world corpus', () => {
  const files = corpusFiles();
  test('the corpus is all there', () => {
    assert.equal(files.length, 44);
    for (const file of Object.keys(EXPECTED)) assert.ok(files.includes(file), `${file} is listed but missing`);
  });
  for (const file of files) {
    test(`${file}: no crash, ranges inside the text, exactly the documented diagnostics`, () => {
      const { text, analysis } = lint(file);
      for (const problem of analysis.problems) {
        assert.ok(problem.start >= 0 && problem.start <= problem.end && problem.end <= text.length, `${problem.code} range ${problem.start}..${problem.end} outside the text`);
        assert.notEqual(problem.code, 'OL000', problem.message);
      }
      const got = analysis.problems.map((problem) => `${problem.severity} ${problem.code}`).sort();
      assert.deepEqual(got, [...(EXPECTED[file] ?? [])].sort(), analysis.problems.map((p) => `${p.code} ${p.message}`).join('\n'));
    });
  }
  test('the genuine mistakes land on the offending keys', () => {
    const at = (file: string, code: string): string => {
      const { text, analysis } = lint(file);
      const problem = analysis.problems.find((p) => p.code === code);
      assert.ok(problem, `${code} missing in ${file}`);
      return text.slice(problem.start, problem.end);
    };
    assert.equal(at('lightning/litgpt_finetune_phi-2_full.yaml', 'OL200'), '200');
    assert.equal(at('lightning/terratorch_object_detection_aed_elephants_base.yaml', 'OL206'), '20');
    assert.equal(at('deepspeed/dse_qanet_bsz512_1cycle.json', 'OL301'), '"train_step_batch_size"');
    assert.equal(at('deepspeed/bigscience_jz_ds_zero2.json', 'OL107'), '"cpu_offload"');
  });
  test('the template parses partially: its optimizer and scheduler are still understood', () => {
    const { analysis } = lint('deepspeed/dse_tp_hf_integration_ds_config_temp.json');
    assert.equal(analysis.model?.scheduler?.entry?.name, 'WarmupDecayLR');
  });
});
