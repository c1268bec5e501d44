/**
 * The staff review console of one province, served by CloudFront from a private S3 bucket, with the staff API
 * on the same origin:
 *
 *   https://<distribution>/          → S3 (Origin Access Control; the bucket itself is never public)
 *   https://<distribution>/v1/*      → the REST API (stage prod), uncached, every viewer header but Host
 *
 * One origin for both means the console calls the API with `apiBase: ''` and needs no CORS. The console
 * routes with the URL hash (#/queue, #/items/…), so no SPA fallback is configured; and since CloudFront error
 * responses apply to the whole distribution, one would also rewrite the API's JSON 403/404s into index.html.
 *
 * The console is built before the stack is created (buildConsole() is async, constructs are not): the
 * construct takes the built directory. Its config.json is replaced by one written at deploy time with the
 * user pool and client ids (Source.jsonData resolves the tokens in the deployment custom resource).
 *
 * Bucket removal: RETAIN (and the deployment keeps its files on delete). The bucket holds only build output
 * that is not secret and can be rebuilt from git, so nothing is lost either way; but with DESTROY CloudFormation
 * cannot delete a non-empty bucket, and emptying it from the deployment (retainOnDelete: false) also deletes
 * the live files whenever the deployment resource is replaced. A deleted stack leaves a small bucket to remove by hand.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { ConsoleRuntimeConfig } from '../../console/build';

/** Path pattern of the API behavior; the console's API paths all start with /v1/. */
export const API_PATH_PATTERN = '/v1/*';

export interface StaffConsoleProps {
  provinceCode: string;
  /** Directory of an already-built console (buildConsole()); its config.json is not deployed. */
  consoleDir: string;
  restApi: apigw.RestApi;
  userPool: cognito.IUserPool;
  userPoolClient: cognito.IUserPoolClient;
}

/** The Content-Security-Policy of the console: its own files, the API on the same origin and the Cognito IdP. */
export function consoleContentSecurityPolicy(region: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' https://cognito-idp.${region}.amazonaws.com`,
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export class StaffConsole extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly deployment: s3deploy.BucketDeployment;
  /** https://<distribution domain>/ */
  readonly url: string;

  constructor(scope: Construct, id: string, props: StaffConsoleProps) {
    super(scope, id);
    const region = Stack.of(this).region;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED, // SSE-KMS would need the key policy opened to CloudFront
      enforceSSL: true,
      versioned: false, // build output, reproducible from git
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `BHXH staff console ${props.provinceCode}: security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(region), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `BHXH staff console, province ${props.provinceCode}`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200, // includes edge locations in Vietnam / Asia
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
          // originPath = /prod (the stage): /v1/staff/me → https://<api>/prod/v1/staff/me
          origin: new origins.RestApiOrigin(props.restApi),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY, // never redirect a POST
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
          compress: true,
        },
      },
    });

    const config: ConsoleRuntimeConfig = {
      auth: 'cognito',
      apiBase: '', // same origin: the console's paths already start with /v1
      cognito: { region, userPoolId: props.userPool.userPoolId, clientId: props.userPoolClient.userPoolClientId },
    };
    this.deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.asset(props.consoleDir, { exclude: ['config.json'] }), s3deploy.Source.jsonData('config.json', config)],
      // File names carry no content hash: browsers revalidate every time (ETag), CloudFront keeps a day and
      // is invalidated by each deployment.
      cacheControl: [
        s3deploy.CacheControl.setPublic(),
        s3deploy.CacheControl.maxAge(Duration.seconds(0)),
        s3deploy.CacheControl.sMaxAge(Duration.days(1)),
      ],
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });

    this.url = `https://${this.distribution.distributionDomainName}/`;
    new CfnOutput(this, 'ConsoleUrl', { value: this.url, description: `Staff review console, province ${props.provinceCode}` });
  }
}
