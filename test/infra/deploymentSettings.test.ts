/**
 * Per-province deployment settings (issue 13 item 5): placeholders synthesize for the placeholder account only;
 * a synth for a real account refuses them, naming every province and setting; malformed values are refused always.
 */
import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { addProvinceStacks, PLACEHOLDER_ACCOUNT } from '../../infra/app';
import {
  checkDeploymentSettings,
  deploymentSettingsFor,
  readDeploymentsFile,
  type DeploymentsFile,
} from '../../infra/deploymentSettings';

const FILE: DeploymentsFile = {
  defaults: { registryUrl: 'https://registry.invalid', consoleOrigin: '*', alarmEmail: null, registryCredentialsSecretName: null },
  provinces: {
    '79': {
      registryUrl: 'https://registry-gw.hcm.example.vn',
      consoleOrigin: 'https://console-79.example.vn',
      alarmEmail: 'ops-79@example.vn',
      registryCredentialsSecretName: 'bhxh/79/registry-client',
    },
  },
};

const synth = (context: Record<string, unknown>, deployments: DeploymentsFile = FILE) =>
  addProvinceStacks(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }), { deployments });

describe('deployment settings per province', () => {
  it('the file gives each province its own values; the context overrides them for all or for one province', () => {
    expect(deploymentSettingsFor('79', FILE)).toEqual({
      registryUrl: 'https://registry-gw.hcm.example.vn',
      consoleOrigin: 'https://console-79.example.vn',
      alarmEmail: 'ops-79@example.vn',
      registryCredentialsSecretName: 'bhxh/79/registry-client',
    });
    expect(deploymentSettingsFor('01', FILE)).toEqual({ registryUrl: 'https://registry.invalid', consoleOrigin: '*', alarmEmail: null, registryCredentialsSecretName: null });
    const context: Record<string, string> = { alarmEmail: 'all@example.vn', 'alarmEmail.79': 'night-79@example.vn' };
    expect(deploymentSettingsFor('79', FILE, (k) => context[k]).alarmEmail).toBe('night-79@example.vn');
    expect(deploymentSettingsFor('01', FILE, (k) => context[k]).alarmEmail).toBe('all@example.vn');
  });

  it('the shipped file has no real values yet: every province is placeholders (so nothing deploys by accident)', () => {
    const file = readDeploymentsFile();
    expect(checkDeploymentSettings({ '79': deploymentSettingsFor('79', file) }, false)).toHaveLength(4);
  });

  it('placeholders synthesize for the placeholder account, with a warning on the stack', () => {
    const [stack] = synth({ province: '01', account: PLACEHOLDER_ACCOUNT });
    const warnings = stack!.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.some((w) => w.includes('registryUrl is the placeholder https://registry.invalid'))).toBe(true);
    expect(warnings.some((w) => w.includes("consoleOrigin is '*'"))).toBe(true);
  });

  it('a synth for a real account refuses placeholders, naming each province and setting', () => {
    let message = '';
    try {
      synth({ province: '79,01,48', account: '123456789012' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('Deployment settings refused');
    expect(message).toContain('province 01: registryUrl is the placeholder https://registry.invalid');
    expect(message).toContain("province 48: consoleOrigin is '*'");
    expect(message).toContain('province 01: alarmEmail is not set');
    expect(message).toContain('province 48: registryCredentialsSecretName is not set');
    expect(message).not.toContain('province 79');
    // Province 79 has all its values: it deploys.
    const [s79] = synth({ province: '79', account: '123456789012' });
    expect(s79!.stackName).toBe('Bhxh-EServices-79');
  });

  it('malformed values are refused even for the placeholder account', () => {
    expect(() => synth({ province: '79', 'registryUrl.79': 'http://registry.example.vn' })).toThrow(/province 79: registryUrl must be https/);
    expect(() => synth({ province: '79', 'consoleOrigin.79': 'https://console.example.vn/app' })).toThrow(/consoleOrigin must be an https origin without a path/);
    expect(() => synth({ province: '79', 'alarmEmail.79': 'not-an-address' })).toThrow(/alarmEmail is not an e-mail address/);
  });
});
