import { describe, expect, it } from 'vitest';
import { deployWaves, main, planWaves } from '../../ops/deployWaves';
import { provinces } from '../../functions/shared/provinces';

const codes = provinces.map((p) => p.code);

describe('deploying the provinces in waves', () => {
  it('the pilot first, then waves of the given size, Hà Nội and TP.HCM (unless pilot) in the last; every province once', () => {
    const waves = planWaves(codes, '48', 8);
    expect(waves[0]).toEqual(['48']);
    expect(waves.at(-1)).toEqual(['01', '79']);
    expect(waves.slice(1, -1).every((w) => w.length <= 8 && !w.includes('01') && !w.includes('79'))).toBe(true);
    expect(waves.flat().sort()).toEqual([...codes].sort());
    expect(codes).toHaveLength(34);
    expect(planWaves(codes, '79', 8).at(-1)).toEqual(['01']);
    expect(() => planWaves(codes, '99', 8)).toThrow(/--pilot 99/);
    expect(() => planWaves(codes, '79', 0)).toThrow(/--wave-size/);
  });

  it('runs one cdk deploy per wave and stops at the first failure, starting no later wave', () => {
    const runs: string[][] = [];
    const lines: string[] = [];
    const waves = planWaves(codes, '79', 10);
    const out = deployWaves(waves, { concurrency: 4, outputsFile: 'out.json', run: (args) => (runs.push(args), runs.length === 2 ? 1 : 0), print: (l) => lines.push(l) });
    expect(runs).toHaveLength(2);
    expect(runs[0]).toEqual(['deploy', '-c', 'province=79', '--all', '--require-approval', 'never', '--concurrency', '4', '--outputs-file', 'out.json']);
    expect(runs[1]![2]).toBe(`province=${waves[1]!.join(',')}`);
    expect(out).toEqual({ deployed: [['79']], failed: waves[1] });
    expect(lines.at(-1)).toMatch(/^wave 2 failed: stopping; \d+ wave\(s\) not started/);
  });

  it('the command: exit 0 when every wave deploys, 1 when one fails', () => {
    expect(main(['--wave-size', '17'], () => 0, () => {})).toBe(0);
    expect(main([], () => 1, () => {})).toBe(1);
  });
});
