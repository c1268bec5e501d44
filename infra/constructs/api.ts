/**
 * REST API (stage `prod`, resources under /v1) built from the catalog routes, and the province's Cognito user pool.
 * - auth 'staff': Cognito user pool authorizer (ID token in `Authorization`; groups staff / supervisor and
 *   `custom:province` arrive as claims, checked by the handlers).
 * - auth 'consumer': Cognito user pool authorizer with the route's `authorizationScopes` (an ACCESS token from the
 *   OAuth2 client-credentials grant: one app client per consumer — portal, VssID — with a generated secret and only
 *   its allowed scopes of the `bhxh-eservices` resource server; token endpoint on the user pool domain). The
 *   handlers map `client_id` to the consumer name with CONSUMER_CLIENTS. The API key stays required: it is the
 *   usage plan's throttling, not the identity.
 * - auth 'paymentGateway': no authorizer, no key: the handler verifies the HMAC signature; method throttling.
 * - auth 'public' (GET /v1/health and GET /v1/openapi.json): no authorizer, no key, no credentials; its own method throttling, so a
 *   monitor or load balancer polling it cannot eat the stage's budget. The bodies name parts, statuses, routes and shapes only.
 * Request validation is off (handlers validate with zod). Access logs go to CloudWatch Logs (JSON).
 */
import { CfnOutput, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { UnauthorizedError } from '../../functions/shared/errors';
import { CONSUMER_RESOURCE_SERVER, consumerScopes, routes, type ApiFunctionName, type ConsumerScope } from '../../functions/catalog';

export const STAGE_NAME = 'prod';
/** Stage-wide default throttling (requests per second / burst). */
export const STAGE_THROTTLE = { rateLimit: 200, burstLimit: 400 };
/** Per API key (portal, VssID). */
export const CLIENT_THROTTLE = { rateLimit: 100, burstLimit: 200 };
/** Payment gateway callbacks (no key: throttled on the method). */
export const PAYMENT_GATEWAY_THROTTLE = { rateLimit: 20, burstLimit: 40 };
/** Public routes (the health check: load balancers, the portal's monitor): no key, throttled on the method. */
export const PUBLIC_ROUTE_THROTTLE = { rateLimit: 10, burstLimit: 20 };
/**
 * Consumers of the public routes: each gets a Cognito app client (client credentials, only these scopes) and an
 * API key in the usage plan. `consumerId` is the stable name the handlers see (CONSUMER_CLIENTS).
 */
export const CONSUMERS: readonly { name: string; consumerId: string; scopes: readonly ConsumerScope[] }[] = [
  { name: 'Portal', consumerId: 'portal', scopes: Object.values(consumerScopes) },
  { name: 'VssId', consumerId: 'vssid', scopes: Object.values(consumerScopes) },
];
/** Access tokens of the consumer app clients live this long (client credentials: no refresh token). */
export const CONSUMER_TOKEN_VALIDITY = Duration.hours(1);
export const STAFF_GROUPS = [
  { groupName: 'supervisor', precedence: 0, description: 'Review queue supervisors (escalations, reassignment)' },
  { groupName: 'staff', precedence: 1, description: 'Province staff working the review queue' },
] as const;

export interface ApiProps {
  provinceCode: string;
  functions: Record<ApiFunctionName, lambda.IFunction>;
  /** Origin of the staff console allowed by CORS ('*' allows any). */
  consoleOrigin: string;
  logRetention?: logs.RetentionDays;
}

export class Api extends Construct {
  readonly restApi: apigw.RestApi;
  readonly userPool: cognito.UserPool;
  readonly consoleClient: cognito.UserPoolClient;
  /** Consumer name ("portal") → its app client. */
  readonly consumerClients: Record<string, cognito.UserPoolClient>;
  /** The token endpoint's domain (`https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token`). */
  readonly userPoolDomain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    // ---- Staff identities ----------------------------------------------------------------------------
    this.userPool = new cognito.UserPool(this, 'StaffUserPool', {
      userPoolName: `bhxh-eservices-${props.provinceCode}-staff`,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      standardAttributes: { fullname: { required: false, mutable: true }, email: { required: true, mutable: true } },
      customAttributes: { province: new cognito.StringAttribute({ minLen: 2, maxLen: 2, mutable: true }) },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const g of STAFF_GROUPS) {
      new cognito.UserPoolGroup(this, `Group-${g.groupName}`, { userPool: this.userPool, ...g });
    }
    // Users may read but never write `custom:province` (only administrators set it): it scopes their access.
    this.consoleClient = this.userPool.addClient('StaffConsoleClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      disableOAuth: true,
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ fullname: true, email: true, emailVerified: true })
        .withCustomAttributes('province'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    // ---- Consumer identities (OAuth2 client credentials) ---------------------------------------------
    const scopeName = (scope: ConsumerScope) => scope.slice(CONSUMER_RESOURCE_SERVER.length + 1);
    const resourceScopes = Object.fromEntries(
      Object.entries(consumerScopes).map(([service, scope]) => [
        scope,
        new cognito.ResourceServerScope({ scopeName: scopeName(scope), scopeDescription: `Submit and follow ${service} applications` }),
      ]),
    ) as Record<ConsumerScope, cognito.ResourceServerScope>;
    const resourceServer = this.userPool.addResourceServer('ConsumerResourceServer', {
      identifier: CONSUMER_RESOURCE_SERVER,
      userPoolResourceServerName: 'BHXH e-services public API',
      scopes: Object.values(resourceScopes),
    });
    this.userPoolDomain = this.userPool.addDomain('TokenDomain', {
      cognitoDomain: { domainPrefix: `bhxh-eservices-${props.provinceCode}` },
    });
    this.consumerClients = {};
    for (const consumer of CONSUMERS) {
      const client = this.userPool.addClient(`${consumer.name}ConsumerClient`, {
        userPoolClientName: `${consumer.consumerId}-consumer`,
        generateSecret: true,
        authFlows: {},
        preventUserExistenceErrors: true,
        oAuth: {
          flows: { clientCredentials: true },
          // The literal scope strings, exactly as the methods' authorizationScopes list them.
          scopes: consumer.scopes.map((scope) => cognito.OAuthScope.custom(scope)),
        },
        accessTokenValidity: CONSUMER_TOKEN_VALIDITY,
      });
      client.node.addDependency(resourceServer); // its scopes must exist first
      this.consumerClients[consumer.consumerId] = client;
    }

    // ---- REST API ----------------------------------------------------------------------------------
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    const methodOptions: Record<string, apigw.MethodDeploymentOptions> = {};
    for (const r of routes.filter((r) => r.auth === 'paymentGateway')) {
      methodOptions[`${r.path}/${r.method}`] = {
        throttlingRateLimit: PAYMENT_GATEWAY_THROTTLE.rateLimit,
        throttlingBurstLimit: PAYMENT_GATEWAY_THROTTLE.burstLimit,
      };
    }
    for (const r of routes.filter((r) => r.auth === 'public')) {
      methodOptions[`${r.path}/${r.method}`] = {
        throttlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit,
        throttlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit,
      };
    }
    const allowOrigins = props.consoleOrigin === '*' ? apigw.Cors.ALL_ORIGINS : [props.consoleOrigin];
    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: `bhxh-eservices-${props.provinceCode}`,
      description: `BHXH e-services, province ${props.provinceCode}`,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      cloudWatchRole: true,
      deployOptions: {
        stageName: STAGE_NAME,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false, // bodies carry personal data
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        throttlingRateLimit: STAGE_THROTTLE.rateLimit,
        throttlingBurstLimit: STAGE_THROTTLE.burstLimit,
        methodOptions,
      },
      defaultCorsPreflightOptions: {
        allowOrigins,
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: [...apigw.Cors.DEFAULT_HEADERS, 'Idempotency-Key'],
        maxAge: Duration.hours(1),
      },
    });
    // Errors produced by API Gateway itself (401 from the authorizer, 403 missing key, 429, 5xx) carry CORS too.
    const corsOrigin = `'${props.consoleOrigin}'`;
    this.restApi.addGatewayResponse('Default4xx', {
      type: apigw.ResponseType.DEFAULT_4XX,
      responseHeaders: { 'Access-Control-Allow-Origin': corsOrigin },
    });
    // The authorizer's own 401 (no token, an invalid one, an ID token on a consumer route, a missing scope) in the
    // API's error shape, as the handlers and the local server answer it.
    this.restApi.addGatewayResponse('Unauthorized', {
      type: apigw.ResponseType.UNAUTHORIZED,
      statusCode: '401',
      responseHeaders: { 'Access-Control-Allow-Origin': corsOrigin, 'WWW-Authenticate': "'Bearer'" },
      templates: { 'application/json': JSON.stringify(new UnauthorizedError().toBody()) },
    });
    this.restApi.addGatewayResponse('Default5xx', {
      type: apigw.ResponseType.DEFAULT_5XX,
      responseHeaders: { 'Access-Control-Allow-Origin': corsOrigin },
    });

    const authorizer = routes.some((r) => r.auth === 'staff')
      ? new apigw.CognitoUserPoolsAuthorizer(this, 'StaffAuthorizer', {
          cognitoUserPools: [this.userPool],
          identitySource: apigw.IdentitySource.header('Authorization'),
          resultsCacheTtl: Duration.minutes(5),
        })
      : undefined;

    // Consumer routes: the same user pool, access tokens with the route's scopes (checked per method by API
    // Gateway; the handlers check them again). No result cache: the scopes are checked against the token itself.
    const consumerAuthorizer = routes.some((r) => r.auth === 'consumer')
      ? new apigw.CognitoUserPoolsAuthorizer(this, 'ConsumerAuthorizer', {
          cognitoUserPools: [this.userPool],
          identitySource: apigw.IdentitySource.header('Authorization'),
          resultsCacheTtl: Duration.seconds(0),
        })
      : undefined;

    const integrations = new Map<ApiFunctionName, apigw.LambdaIntegration>();
    for (const route of routes) {
      const fn = props.functions[route.fn];
      if (!fn) throw new Error(`Route ${route.method} ${route.path}: no function ${route.fn}`);
      if (!route.path.startsWith('/v1/')) throw new Error(`Route ${route.path} must be under /v1`);
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new apigw.LambdaIntegration(fn, { proxy: true, allowTestInvoke: false });
        integrations.set(route.fn, integration);
      }
      const resource = this.restApi.root.resourceForPath(route.path);
      const options: apigw.MethodOptions =
        route.auth === 'staff'
          ? { authorizationType: apigw.AuthorizationType.COGNITO, authorizer }
          : route.auth === 'consumer'
            ? {
                authorizationType: apigw.AuthorizationType.COGNITO,
                authorizer: consumerAuthorizer,
                authorizationScopes: route.scopes ?? [],
                apiKeyRequired: true,
              }
            : { authorizationType: apigw.AuthorizationType.NONE, apiKeyRequired: false };
      resource.addMethod(route.method, integration, options);
    }

    // ---- API keys for the consumer routes (usage plan: throttling per consumer, not identity) ---------------
    const plan = this.restApi.addUsagePlan('PublicClientsPlan', {
      name: `bhxh-eservices-${props.provinceCode}-public-clients`,
      throttle: CLIENT_THROTTLE,
      apiStages: [{ api: this.restApi, stage: this.restApi.deploymentStage }],
    });
    for (const { name } of CONSUMERS) {
      const key = this.restApi.addApiKey(`${name}ApiKey`, {
        description: `${name} client of province ${props.provinceCode} (value generated by API Gateway)`,
      });
      plan.addApiKey(key);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.restApi.urlForPath('/v1') });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.userPoolClientId });
    new CfnOutput(this, 'TokenEndpoint', { value: `${this.userPoolDomain.baseUrl()}/oauth2/token` });
    for (const consumer of CONSUMERS) {
      new CfnOutput(this, `${consumer.name}ConsumerClientId`, { value: this.consumerClients[consumer.consumerId].userPoolClientId });
    }
  }

  /** CONSUMER_CLIENTS of the API functions: JSON `{ "<app client id>": "<consumer name>" }` (client ids are tokens). */
  consumerClientsEnv(): string {
    const parts: string[] = ['{'];
    CONSUMERS.forEach((consumer, i) => {
      parts.push(`${i ? ',' : ''}"`, this.consumerClients[consumer.consumerId].userPoolClientId, `":${JSON.stringify(consumer.consumerId)}`);
    });
    parts.push('}');
    return Fn.join('', parts);
  }
}
