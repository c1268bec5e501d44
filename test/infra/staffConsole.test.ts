/**
 * The staff console of a province stack: private bucket behind CloudFront (OAC), the API on the same origin
 * under /v1/*, security headers, the console files plus a deploy-time config.json. Synthesizes one stack with
 * Lambda bundling skipped (as test/infra/provinceStack.test.ts does) and the console built into a temp dir.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build';
import { addProvinceStacks } from '../../infra/app';
import { repoRoot } from '../../infra/constructs/functions';
import { API_PATH_PATTERN } from '../../infra/constructs/staffConsole';
import type { ProvinceStack } from '../../infra/provinceStack';

const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };

let consoleDir: string;
let stack: ProvinceStack;
let template: Template;
type Resources = Record<string, { Type: string; Properties?: any; DeletionPolicy?: string }>;
let resources: Resources;

const logicalIdOf = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

beforeAll(async () => {
  consoleDir = mkdtempSync(join(tmpdir(), 'bhxh-console-test-'));
  await buildConsole({ outDir: consoleDir });
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], province: '79' } });
  [stack] = addProvinceStacks(app, { consoleDir });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
}, 60_000);

afterAll(() => {
  if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
});

describe('staff console of province stack 79', () => {
  it('keeps the console in a private, encrypted, SSL-only bucket that is retained', () => {
    const bucketId = logicalIdOf(stack.staffConsole!.bucket);
    const bucket = resources[bucketId];
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
    // No auto-delete custom resource.
    expect(ofType('Custom::S3AutoDeleteObjects')).toHaveLength(0);
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)![1];
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('lets only this distribution read the bucket (cloudfront.amazonaws.com with AWS:SourceArn)', () => {
    const bucketId = logicalIdOf(stack.staffConsole!.bucket);
    const distributionId = logicalIdOf(stack.staffConsole!.distribution);
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)![1];
    const grants = (policy.Properties.PolicyDocument.Statement as any[]).filter(
      (s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudfront.amazonaws.com',
    );
    expect(grants).toHaveLength(1);
    const [grant] = grants;
    expect([grant.Action].flat()).toContain('s3:GetObject');
    expect([grant.Action].flat().some((a: string) => /Put|Delete|\*/.test(a))).toBe(false);
    const sourceArn = grant.Condition.StringEquals['AWS:SourceArn'];
    expect(JSON.stringify(sourceArn)).toContain(`"Ref":"${distributionId}"`);
  });

  it('serves the bucket through CloudFront with OAC, index.html as root, and /v1/* from the REST API', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    const config = resources[logicalIdOf(stack.staffConsole!.distribution)].Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.CustomErrorResponses, 'hash routing: no SPA fallback that would mask API 403/404').toBeUndefined();

    const origins = config.Origins as any[];
    expect(origins).toHaveLength(2);
    const s3Origin = origins.find((o) => o.S3OriginConfig)!;
    const apiOrigin = origins.find((o) => o.CustomOriginConfig)!;
    expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'] });
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity ?? '').toBe('');
    expect(JSON.stringify(s3Origin.DomainName)).toContain(logicalIdOf(stack.staffConsole!.bucket));
    const restApiId = logicalIdOf(stack.api.restApi);
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(`"Ref":"${restApiId}"`);
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('execute-api');
    expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(apiOrigin.OriginPath)).toContain('Fn::Select'); // the stage, /prod

    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(s3Origin.Id);
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.CacheBehaviors).toHaveLength(1);
    const [api] = config.CacheBehaviors;
    expect(api.PathPattern).toBe(API_PATH_PATTERN);
    expect(api.PathPattern).toBe('/v1/*');
    expect(api.TargetOriginId).toBe(apiOrigin.Id);
    expect(api.AllowedMethods.sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // Managed-AllViewerExceptHostHeader
    expect(api.ViewerProtocolPolicy).toBe('https-only');
  });

  it('adds security headers (CSP limited to self and the Cognito IdP, HSTS, nosniff, referrer policy) to both behaviors', () => {
    const policies = ofType('AWS::CloudFront::ResponseHeadersPolicy');
    expect(policies).toHaveLength(1);
    const [[policyId, policy]] = policies;
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp: string = headers.ContentSecurityPolicy.ContentSecurityPolicy;
    const region = Stack.of(stack).region;
    expect(region).toBe('ap-southeast-1');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(new RegExp(`connect-src 'self' https://cognito-idp\\.${region}\\.amazonaws\\.com(;|$)`));
    const origins = csp.match(/https?:\/\/[^\s;]+/g) ?? [];
    expect(origins).toEqual([`https://cognito-idp.${region}.amazonaws.com`]);
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
    expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });

    const config = resources[logicalIdOf(stack.staffConsole!.distribution)].Properties.DistributionConfig;
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    }
  });

  it('deploys the console files and a config.json with the user pool and client, and invalidates the distribution', () => {
    const p = deploymentProps();
    expect(p.DestinationBucketName).toEqual({ Ref: logicalIdOf(stack.staffConsole!.bucket) });
    expect(p.DistributionId).toEqual({ Ref: logicalIdOf(stack.staffConsole!.distribution) });
    expect(p.DistributionPaths).toEqual(['/*']);
    expect(p.Prune ?? true).toBe(true);
    expect(p.SourceObjectKeys).toHaveLength(2); // the built console, then config.json
    expect(p.SystemMetadata['cache-control']).toMatch(/max-age=0/);
    // Tokens in config.json are markers filled in by the deployment handler.
    expect(Object.values(p.SourceMarkers[1])).toEqual(
      expect.arrayContaining([{ Ref: logicalIdOf(stack.api.userPool) }, { Ref: logicalIdOf(stack.api.consoleClient) }]),
    );
  });

  it('ships the built console without its local (dev) config.json', () => {
    expect(readdirSync(stagedSource(0)).sort()).toEqual(['index.html', 'main.js', 'styles.css']);
  });

  it('writes config.json as the console expects: cognito auth, same-origin API, region, pool and client', () => {
    const p = deploymentProps();
    expect(readdirSync(stagedSource(1))).toEqual(['config.json']);
    const staged = JSON.parse(readFileSync(join(stagedSource(1), 'config.json'), 'utf8'));
    const markerOf = (id: string) => Object.entries(p.SourceMarkers[1] as Record<string, any>).find(([, v]) => v.Ref === id)![0];
    expect(staged).toEqual({
      auth: 'cognito',
      apiBase: '',
      cognito: {
        region: 'ap-southeast-1',
        userPoolId: markerOf(logicalIdOf(stack.api.userPool)),
        clientId: markerOf(logicalIdOf(stack.api.consoleClient)),
      },
    });
  });

  it('outputs the console URL (the distribution domain)', () => {
    const outputs = template.findOutputs('*', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.staffConsole!.distribution), 'DomainName'] }, '/']] },
    });
    expect(Object.keys(outputs)).toHaveLength(1);
    expect(Object.keys(outputs)[0]).toMatch(/ConsoleUrl/);
  });
});

function deploymentProps(): any {
  const deployments = ofType('Custom::CDKBucketDeployment');
  expect(deployments).toHaveLength(1);
  return deployments[0][1].Properties;
}

/** The directory a deployment source was staged to in the cloud assembly (its object key is <hash>.zip). */
function stagedSource(index: number): string {
  const key: string = deploymentProps().SourceObjectKeys[index];
  return join((stack.node.root as App).outdir, `asset.${key.replace(/\.zip$/, '')}`);
}
