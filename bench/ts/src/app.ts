// The sample project's deployment (examples/mysite, starter profile) written
// directly in TypeScript CDK: the baseline scripts/bench.sh compares
// `djangocdk synth` against. It builds the same two stacks with the same L2
// constructs, construct IDs and properties as the Go library (network.go,
// database.go, cache.go, storage.go, secrets.go, edge.go, ecs_web.go,
// ecs_processes.go, djangoecs.go, release.go, observability.go, outputs.go),
// minus the cdk-nag suppression metadata, so the resources and their logical
// IDs are the same (bench/compare.py checks it).
//
// Run:  node dist/app.js   (CDK_OUTDIR: assembly directory; CDK_VALIDATION=false
// turns CDK's built-in template validation off, as for the CLI)
import * as path from 'path';
import {
  App, ArnFormat, CfnOutput, CustomResource, Duration, Fn, RemovalPolicy, Stack, Token,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

// The repository root: this file runs as bench/ts/dist/app.js.
const root = path.resolve(__dirname, '..', '..', '..');
const projectPath = path.join(root, 'examples', 'mysite');
const releaseHandlerDir = path.join(root, 'blocks', 'release', 'handler');

const region = 'us-east-1';
const appName = 'MysiteApp-Mysite'; // stack name + construct ID, as appName() in observability.go
const dbPort = 5432;
const cachePort = 6379;
const webPort = 8000;
const healthPath = '/healthz';
const releaseTimeoutSeconds = 20 * 60;

const app = new App({ outdir: process.env.CDK_OUTDIR });
const env = { region };
const dataStack = new Stack(app, 'MysiteData', {
  env,
  description: "mysite: network, database, cache, storage, secrets and the site's edge (stateful)",
  crossRegionReferences: false,
});
const appStack = new Stack(app, 'MysiteApp', {
  env,
  description: 'mysite: Django on ECS Fargate (stateless)',
});
const site = new Construct(appStack, 'Mysite');
const data = new Construct(dataStack, 'Mysite');

// ---- Network (network.go) -------------------------------------------------
const network = new Construct(data, 'Network');
const vpc = new ec2.Vpc(network, 'Vpc', {
  ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
  maxAzs: 2,
  restrictDefaultSecurityGroup: true,
  natGateways: 1,
  subnetConfiguration: [
    { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
    { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
    { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
  ],
});
const flowLogGroup = new logs.LogGroup(network, 'FlowLogGroup', { retention: logs.RetentionDays.ONE_MONTH });
vpc.addFlowLog('FlowLog', {
  destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
  trafficType: ec2.FlowLogTrafficType.REJECT,
});
const appSubnets: ec2.SubnetSelection = { subnetGroupName: 'App' };
const dataSubnets: ec2.SubnetSelection = { subnetGroupName: 'Data' };

// ---- Secrets (secrets.go) --------------------------------------------------
const secrets = new Construct(data, 'Secrets');
const secretKey = new secretsmanager.Secret(secrets, 'DjangoSecretKey', {
  description: 'Django SECRET_KEY',
  generateSecretString: { passwordLength: 50, excludeCharacters: '"\'\\`' },
  removalPolicy: RemovalPolicy.DESTROY,
});

// ---- Database (database.go) ------------------------------------------------
const database = new Construct(data, 'Database');
const dbSG = new ec2.SecurityGroup(database, 'SecurityGroup', {
  vpc,
  description: 'PostgreSQL: reachable only from the app tasks, no egress',
  allowAllOutbound: false,
});
const db = new rds.DatabaseInstance(database, 'Instance', {
  engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_6 }),
  instanceType: new ec2.InstanceType('t4g.micro'),
  vpc,
  vpcSubnets: dataSubnets,
  securityGroups: [dbSG],
  credentials: rds.Credentials.fromGeneratedSecret('django', {
    excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
  }),
  databaseName: 'django',
  storageEncrypted: true,
  storageType: rds.StorageType.GP3,
  allocatedStorage: 20,
  maxAllocatedStorage: 100,
  multiAz: false,
  deletionProtection: false,
  backupRetention: Duration.days(7),
  removalPolicy: RemovalPolicy.SNAPSHOT,
  autoMinorVersionUpgrade: true,
  cloudwatchLogsExports: ['postgresql'],
  cloudwatchLogsRetention: logs.RetentionDays.ONE_MONTH,
  copyTagsToSnapshot: true,
  publiclyAccessible: false,
  port: dbPort,
});
const dbSecret = db.secret!;

// ---- Cache (cache.go): Valkey replication group (L1) -----------------------
const cache = new Construct(data, 'Cache');
const cacheSG = new ec2.SecurityGroup(cache, 'SecurityGroup', {
  vpc,
  description: 'ElastiCache: reachable only from the app tasks',
  allowAllOutbound: false,
});
const cacheConnections = new ec2.Connections({ securityGroups: [cacheSG], defaultPort: ec2.Port.tcp(cachePort) });
const cacheSubnetGroup = new elasticache.CfnSubnetGroup(cache, 'SubnetGroup', {
  description: 'Isolated subnets of the cache',
  subnetIds: vpc.selectSubnets(dataSubnets).subnetIds,
});
const authToken = new secretsmanager.Secret(cache, 'AuthToken', {
  description: 'ElastiCache AUTH token',
  generateSecretString: { passwordLength: 64, excludePunctuation: true },
});
const group = new elasticache.CfnReplicationGroup(cache, 'ReplicationGroup', {
  replicationGroupDescription: 'Django cache and Celery broker (valkey)',
  engine: 'valkey',
  engineVersion: '8.0',
  cacheNodeType: 'cache.t4g.micro',
  numCacheClusters: 1,
  automaticFailoverEnabled: false,
  multiAzEnabled: false,
  transitEncryptionEnabled: true,
  atRestEncryptionEnabled: true,
  authToken: authToken.secretValue.unsafeUnwrap(),
  cacheSubnetGroupName: cacheSubnetGroup.ref,
  securityGroupIds: [cacheSG.securityGroupId],
  port: cachePort,
  autoMinorVersionUpgrade: true,
  snapshotRetentionLimit: 0,
});
const cacheUrl = Fn.join('', ['rediss://', group.attrPrimaryEndPointAddress, ':', group.attrPrimaryEndPointPort]);
const brokerUrl = Fn.join('', [cacheUrl, '/1']);

// ---- Storage (storage.go) --------------------------------------------------
const storage = new Construct(data, 'Storage');
const logsBucket = new s3.Bucket(storage, 'LogsBucket', {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
  lifecycleRules: [{ expiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
  removalPolicy: RemovalPolicy.RETAIN,
});
const bucket = new s3.Bucket(storage, 'Bucket', {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  versioned: true,
  serverAccessLogsBucket: logsBucket,
  serverAccessLogsPrefix: 's3/',
  removalPolicy: RemovalPolicy.RETAIN,
  lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
});
function grantAppAccess(grantee: iam.IGrantable): void {
  iam.Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn] });
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    resourceArns: [bucket.arnForObjects('*')],
  });
}

// ---- Cluster, roles, security groups, image (djangoecs.go) -----------------
const cluster = new ecs.Cluster(site, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
const ecsTasks = new iam.ServicePrincipal('ecs-tasks.amazonaws.com');
const taskRoles: Record<string, iam.Role> = {};
for (const [process, id, what] of [
  ['web', 'TaskRole', 'Django web process'],
  ['release', 'ReleaseTaskRole', 'Django release task (migrate, collectstatic) and one-off commands'],
  ['worker', 'WorkerTaskRole', 'Celery worker'],
  ['beat', 'BeatTaskRole', 'Celery beat'],
]) {
  taskRoles[process] = new iam.Role(site, id, { assumedBy: ecsTasks, description: what });
}
const executionRole = new iam.Role(site, 'ExecutionRole', {
  assumedBy: ecsTasks,
  description: 'ECS agent: pulls the image, injects secrets, writes logs',
});
const webSG = new ec2.SecurityGroup(site, 'WebSecurityGroup', {
  vpc, description: 'Django web and release tasks', allowAllOutbound: true,
});
const workerSG = new ec2.SecurityGroup(site, 'WorkerSecurityGroup', {
  vpc, description: 'Celery worker and beat tasks', allowAllOutbound: true,
});
const image = ecs.ContainerImage.fromAsset(projectPath, { file: 'Dockerfile', platform: Platform.LINUX_ARM64 });

// ---- Edge (ecs_web.go, edge.go): internal ALB behind CloudFront ------------
const albSG = new ec2.SecurityGroup(data, 'LoadBalancerSecurityGroup', {
  vpc,
  description: 'Internal load balancer of the Django site, reached only through the CloudFront VPC origin',
  allowAllOutbound: false,
});
const alb = new elbv2.ApplicationLoadBalancer(data, 'LoadBalancer', {
  vpc,
  internetFacing: false,
  vpcSubnets: appSubnets,
  securityGroup: albSG,
  dropInvalidHeaderFields: true,
  deletionProtection: false,
});
alb.logAccessLogs(logsBucket, 'alb');

// admitVpcOrigin: the VPC CIDR and CloudFront's origin-facing prefix list,
// looked up at deploy time.
const prefixListName = 'com.amazonaws.global.cloudfront.origin-facing';
albSG.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(80),
  'HTTP from the CloudFront VPC origin network interfaces in the VPC');
// Keys in the order the Go struct reaches JavaScript (alphabetical), so the
// serialized call is byte-identical.
const lookupCall: cr.AwsSdkCall = {
  action: 'describeManagedPrefixLists',
  outputPaths: ['PrefixLists.0.PrefixListId'],
  parameters: { Filters: [{ Name: 'prefix-list-name', Values: [prefixListName] }] },
  physicalResourceId: cr.PhysicalResourceId.of(prefixListName),
  service: 'EC2',
};
const lookup = new cr.AwsCustomResource(data, 'CloudFrontPrefixList', {
  onCreate: lookupCall,
  onUpdate: lookupCall,
  policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
  installLatestAwsSdk: false,
});
albSG.addIngressRule(ec2.Peer.prefixList(lookup.getResponseField('PrefixLists.0.PrefixListId')), ec2.Port.tcp(80),
  'HTTP from CloudFront (origin-facing prefix list)');

const edge = new Construct(data, 'Edge');
const files = origins.S3BucketOrigin.withOriginAccessControl(bucket);
const fileBehaviour = (headers: cloudfront.IResponseHeadersPolicy): cloudfront.BehaviorOptions => ({
  origin: files,
  viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
  allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
  cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
  responseHeadersPolicy: headers,
  compress: true,
});
const mediaHeaders = new cloudfront.ResponseHeadersPolicy(edge, 'MediaHeaders', {
  comment: 'Uploaded files: sandboxed, never sniffed',
  securityHeadersBehavior: {
    contentSecurityPolicy: { contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; sandbox", override: true },
    contentTypeOptions: { override: true },
    strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: false, override: false },
    referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: false },
  },
});
const distribution = new cloudfront.Distribution(edge, 'Distribution', {
  priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
  httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
  enableLogging: true,
  logBucket: logsBucket,
  logFilePrefix: 'cloudfront/',
  comment: 'Django site: app through a VPC origin, static and media files from S3',
  defaultBehavior: {
    origin: origins.VpcOrigin.withApplicationLoadBalancer(alb, {
      httpPort: 80,
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
    }),
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
    cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
    originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022,
    compress: true,
  },
  additionalBehaviors: {
    'media/*': fileBehaviour(mediaHeaders),
    'static/*': fileBehaviour(cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS),
  },
});
const host = distribution.distributionDomainName;
const url = Fn.join('', ['https://', host]);

// Listener and target group in the app stack, on a reference to the ALB.
const lbRef = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(site, 'LoadBalancerRef', {
  loadBalancerArn: alb.loadBalancerArn,
  securityGroupId: albSG.securityGroupId,
  securityGroupAllowsAllOutbound: false,
  loadBalancerDnsName: alb.loadBalancerDnsName,
  loadBalancerCanonicalHostedZoneId: alb.loadBalancerCanonicalHostedZoneId,
  vpc,
});
const targetGroup = new elbv2.ApplicationTargetGroup(site, 'WebTargetGroup', {
  vpc,
  port: webPort,
  protocol: elbv2.ApplicationProtocol.HTTP,
  targetType: elbv2.TargetType.IP,
  healthCheck: {
    path: healthPath,
    healthyHttpCodes: '200',
    interval: Duration.seconds(15),
    timeout: Duration.seconds(5),
    healthyThresholdCount: 2,
    unhealthyThresholdCount: 3,
  },
  deregistrationDelay: Duration.seconds(30),
});
lbRef.addListener('Http', {
  port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultTargetGroups: [targetGroup],
});

// ---- Processes (ecs_processes.go) ------------------------------------------
const environment: Record<string, string> = {
  DJANGO_SETTINGS_MODULE: 'mysite.settings',
  DJANGO_DEBUG: 'false',
  DJANGO_ALLOWED_HOSTS: host,
  DJANGO_CSRF_TRUSTED_ORIGINS: url,
  DJANGO_HTTPS: 'true',
  DJANGO_FORWARDED_PROTO_HEADER: 'CloudFront-Forwarded-Proto',
  DJANGO_HEALTH_CHECK_PATH: healthPath,
  AWS_STORAGE_BUCKET_NAME: bucket.bucketName,
  AWS_S3_CUSTOM_DOMAIN: host,
  AWS_REGION: Stack.of(site).region,
  CELERY_TASK_DEFAULT_QUEUE: 'celery',
  DJANGO_STATIC_STORAGE: 's3-manifest',
  DATABASE_CONNECT_TIMEOUT: '10',
  REDIS_URL: cacheUrl,
  TASK_BROKER_URL: brokerUrl,
};
const containerSecrets: Record<string, ecs.Secret> = {
  DJANGO_SECRET_KEY: ecs.Secret.fromSecretsManager(secretKey),
  DATABASE_HOST: ecs.Secret.fromSecretsManager(dbSecret, 'host'),
  DATABASE_PORT: ecs.Secret.fromSecretsManager(dbSecret, 'port'),
  DATABASE_NAME: ecs.Secret.fromSecretsManager(dbSecret, 'dbname'),
  DATABASE_USER: ecs.Secret.fromSecretsManager(dbSecret, 'username'),
  DATABASE_PASSWORD: ecs.Secret.fromSecretsManager(dbSecret, 'password'),
  REDIS_AUTH_TOKEN: ecs.Secret.fromSecretsManager(authToken),
};

// Go maps reach jsii with their keys sorted; sort the same way so the
// container definitions list variables in the same order.
function sortedKeys<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));
}

interface ProcessSpec {
  name: string;
  id: string;
  command: string[];
  cpu: number;
  memoryMiB: number;
  sg: ec2.SecurityGroup;
  stopTimeout: number;
}
const specs: ProcessSpec[] = [
  {
    name: 'web', id: 'Web', cpu: 512, memoryMiB: 1024, sg: webSG, stopTimeout: 30,
    command: ['gunicorn', 'mysite.wsgi:application', '--bind', '0.0.0.0:8000', '--workers', '2', '--access-logfile', '-'],
  },
  {
    name: 'worker', id: 'Worker', cpu: 512, memoryMiB: 1024, sg: workerSG, stopTimeout: 120,
    command: ['celery', '-A', 'mysite', 'worker', '--loglevel', 'INFO'],
  },
  {
    name: 'beat', id: 'Beat', cpu: 256, memoryMiB: 512, sg: workerSG, stopTimeout: 30,
    command: ['celery', '-A', 'mysite', 'beat', '--loglevel', 'INFO', '--schedule', '/tmp/celerybeat-schedule'],
  },
  {
    name: 'release', id: 'Release', cpu: 512, memoryMiB: 1024, sg: webSG, stopTimeout: 30,
    command: ['sh', '-c', 'python manage.py migrate --noinput && exec python manage.py collectstatic --noinput'],
  },
];
const logGroups: Record<string, logs.LogGroup> = {};
const taskDefs: Record<string, ecs.FargateTaskDefinition> = {};
for (const s of specs) {
  const group = new logs.LogGroup(site, `${s.id}Logs`, {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  logGroups[s.name] = group;
  const td = new ecs.FargateTaskDefinition(site, `${s.id}TaskDefinition`, {
    cpu: s.cpu,
    memoryLimitMiB: s.memoryMiB,
    runtimePlatform: {
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    },
    taskRole: taskRoles[s.name],
    executionRole,
  });
  taskDefs[s.name] = td;
  td.addContainer(s.name, {
    image,
    command: s.command,
    entryPoint: ['python', '-m', 'djangocdk_settings', 'exec'],
    environment: sortedKeys(environment),
    secrets: sortedKeys(containerSecrets),
    essential: true,
    stopTimeout: Duration.seconds(s.stopTimeout),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: s.name, logGroup: group }),
    portMappings: s.name === 'web' ? [{ containerPort: webPort, protocol: ecs.Protocol.TCP }] : undefined,
  });
}

// ---- Release step (release.go): provider framework + Python handler --------
const releaseStep = new Construct(site, 'ReleaseStep');
const handlerLogs = new logs.LogGroup(releaseStep, 'HandlerLogs', {
  retention: logs.RetentionDays.ONE_MONTH,
  removalPolicy: RemovalPolicy.DESTROY,
});
const newFunction = (id: string, handler: string, desc: string): lambda.Function =>
  new lambda.Function(releaseStep, id, {
    environment: { DJANGOCDK_APP: appName },
    description: `djangocdk release step: ${desc}`,
    runtime: lambda.Runtime.PYTHON_3_14,
    architecture: lambda.Architecture.ARM_64,
    handler,
    code: lambda.Code.fromAsset(releaseHandlerDir),
    timeout: Duration.seconds(60),
    memorySize: 128,
    logGroup: handlerLogs,
  });
const onEvent = newFunction('Handler', 'index.on_event', 'runs the release task and waits for it');
const isComplete = newFunction('IsComplete', 'index.is_complete', 'reports whether the release task has finished');
const releaseTask = taskDefs.release;
const onCluster = { ArnEquals: { 'ecs:cluster': cluster.clusterArn } };
onEvent.addToRolePolicy(new iam.PolicyStatement({
  actions: ['ecs:RunTask'], resources: [releaseTask.taskDefinitionArn], conditions: onCluster,
}));
onEvent.addToRolePolicy(new iam.PolicyStatement({
  actions: ['iam:PassRole'],
  resources: [releaseTask.taskRole.roleArn, releaseTask.executionRole!.roleArn],
  conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
}));
isComplete.addToRolePolicy(new iam.PolicyStatement({
  actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
  resources: [Stack.of(releaseStep).formatArn({ service: 'ecs', resource: 'task', resourceName: `${cluster.clusterName}/*` })],
  conditions: onCluster,
}));
isComplete.addToRolePolicy(new iam.PolicyStatement({
  actions: ['logs:GetLogEvents'], resources: [logGroups.release.logGroupArn],
}));
const provider = new cr.Provider(releaseStep, 'Provider', {
  onEventHandler: onEvent,
  isCompleteHandler: isComplete,
  queryInterval: Duration.seconds(15),
  totalTimeout: Duration.seconds(releaseTimeoutSeconds + 5 * 60),
  logGroup: handlerLogs,
  disableWaiterStateMachineLogging: false,
  waiterStateMachineLogOptions: {
    destination: new logs.LogGroup(releaseStep, 'WaiterLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    }),
    level: sfn.LogLevel.ALL,
  },
});
const release = new CustomResource(releaseStep, 'Resource', {
  serviceToken: provider.serviceToken,
  resourceType: 'Custom::DjangoRelease',
  properties: {
    Cluster: cluster.clusterArn,
    TaskDefinition: releaseTask.taskDefinitionArn,
    ContainerName: 'release',
    Subnets: vpc.selectSubnets(appSubnets).subnetIds,
    SecurityGroups: [webSG.securityGroupId],
    LogGroup: logGroups.release.logGroupName,
    LogStreamPrefix: 'release',
    TimeoutSeconds: String(releaseTimeoutSeconds),
  },
});

// ---- Services ---------------------------------------------------------------
const services: Record<string, ecs.FargateService> = {};
for (const s of specs) {
  if (s.name === 'release') continue;
  const svc = new ecs.FargateService(site, `${s.id}Service`, {
    cluster,
    taskDefinition: taskDefs[s.name],
    securityGroups: [s.sg],
    vpcSubnets: appSubnets,
    assignPublicIp: false,
    circuitBreaker: { enable: true, rollback: true },
    enableExecuteCommand: false,
    platformVersion: ecs.FargatePlatformVersion.LATEST,
    propagateTags: ecs.PropagatedTagSource.SERVICE,
    desiredCount: 1,
    minHealthyPercent: s.name === 'beat' ? 0 : 100,
    maxHealthyPercent: s.name === 'beat' ? 100 : 200,
    healthCheckGracePeriod: s.name === 'web' ? Duration.seconds(60) : undefined,
  });
  services[s.name] = svc;
  svc.node.addDependency(release);
  if (s.name === 'web') {
    svc.attachToApplicationTargetGroup(targetGroup);
    const scaling = svc.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 2 });
    scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: 60 });
    scaling.scaleOnRequestCount('RequestScaling', { requestsPerTarget: 500, targetGroup });
  } else if (s.name === 'worker') {
    const scaling = svc.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 2 });
    scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: 60 });
  }
}

// ---- Access (grantAccess, orderFirstDeploy) ---------------------------------
for (const sg of [webSG, workerSG]) {
  sg.connections.allowTo(db.connections, ec2.Port.tcp(dbPort), 'PostgreSQL from the app');
  sg.connections.allowTo(cacheConnections, ec2.Port.tcp(cachePort), 'Valkey/Redis from the app');
}
for (const process of ['web', 'release', 'worker']) grantAppAccess(taskRoles[process]);
release.node.addDependency(network, webSG, workerSG, dbSG, cacheSG);

// ---- Alarms and dashboard (observability.go) --------------------------------
const alarms = new Construct(site, 'Alarms');
const topicKey = new kms.Key(alarms, 'TopicKey', {
  description: `Encrypts the alarm topic of ${appName}`,
  enableKeyRotation: true,
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});
const alarmsOfAccount = {
  StringEquals: { 'aws:SourceAccount': Stack.of(alarms).account },
  ArnLike: {
    'aws:SourceArn': Stack.of(alarms).formatArn({
      service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  },
};
const cloudwatchPrincipal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
topicKey.addToResourcePolicy(new iam.PolicyStatement({
  sid: 'CloudWatchAlarmsPublish',
  principals: [cloudwatchPrincipal],
  actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  resources: ['*'],
  conditions: alarmsOfAccount,
}));
const topic = new sns.Topic(alarms, 'Topic', { displayName: `Alarms of ${appName}`, masterKey: topicKey, enforceSSL: true });
topic.addToResourcePolicy(new iam.PolicyStatement({
  sid: 'CloudWatchAlarmsPublish',
  principals: [cloudwatchPrincipal],
  actions: ['sns:Publish'],
  resources: [topic.topicArn],
  conditions: alarmsOfAccount,
}));
const action = new cwActions.SnsAction(topic);
const alarmList: cw.Alarm[] = [];
const widgets: cw.IWidget[] = [];
interface AlarmSpec {
  threshold: number;
  op: cw.ComparisonOperator;
  periods: number;
  datapoints?: number;
  missing: cw.TreatMissingData;
  lowSamplePercentile?: string;
  description: string;
}
function addAlarm(name: string, title: string, metric: cw.IMetric, s: AlarmSpec): void {
  const a = new cw.Alarm(alarms, name, {
    metric,
    threshold: s.threshold,
    comparisonOperator: s.op,
    evaluationPeriods: s.periods,
    datapointsToAlarm: s.datapoints ?? s.periods,
    treatMissingData: s.missing,
    alarmDescription: s.description,
    evaluateLowSampleCountPercentile: s.lowSamplePercentile,
  });
  a.addAlarmAction(action);
  a.addOkAction(action);
  alarmList.push(a);
  widgets.push(new cw.AlarmWidget({ alarm: a, title, width: 8, height: 6 }));
}
const minutes = (n: number) => Duration.minutes(n);
const GT = cw.ComparisonOperator.GREATER_THAN_THRESHOLD;
const NOT_BREACHING = cw.TreatMissingData.NOT_BREACHING;
const one: cw.MetricOptions = { period: minutes(1), statistic: 'Sum' };
const five = (statistic: string): cw.MetricOptions => ({ period: minutes(5), statistic });

addAlarm('ErrorRate', '5xx responses (% of requests)', new cw.MathExpression({
  expression: 'IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, IF(FILL(elb5xx, 0) > 0, 100, 0))',
  usingMetrics: {
    elb5xx: alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, one),
    requests: alb.metrics.requestCount(one),
    target5xx: alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, one),
  },
  label: '5xx responses (% of requests)',
  period: minutes(1),
}), {
  threshold: 5, op: GT, periods: 5, datapoints: 3, missing: NOT_BREACHING,
  description:
    "More than 5% of requests got a 5xx (from Django or from the load balancer: 502/503/504 when no healthy task answers) in 3 of the last 5 minutes. First: Look at the web service's logs for tracebacks and at its events for tasks failing to start; if it began with a deploy, roll back.",
});
addAlarm('Latency', 'Response time p95 (s)', targetGroup.metrics.targetResponseTime({ period: minutes(5), statistic: 'p95' }), {
  threshold: 3, op: GT, periods: 3, missing: NOT_BREACHING, lowSamplePercentile: 'ignore',
  description:
    "The slowest 5% of requests took longer than 3 s for 15 minutes. First: Check the database (CPU, connections) and the web tasks' CPU on the dashboard; slow queries show in the database's PostgreSQL log.",
});
addAlarm('UnhealthyTargets', 'Unhealthy web tasks', targetGroup.metrics.unhealthyHostCount({ period: minutes(1), statistic: 'Maximum' }), {
  threshold: 0, op: GT, periods: 5, missing: NOT_BREACHING,
  description:
    "At least one web task has failed the load balancer's health check for 5 minutes in a row. First: Check the web logs for errors on the health check path (a host not in ALLOWED_HOSTS answers 400) and the service's events for restarts.",
});
for (const [process, name, what] of [['web', 'WebTasks', 'web'], ['worker', 'WorkerTasks', 'Celery worker']]) {
  const svc = services[process];
  const metric = (metricName: string, statistic: string) => new cw.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: cluster.clusterName, ServiceName: svc.serviceName },
    statistic,
    period: minutes(5),
  });
  addAlarm(name, `Missing ${what} tasks`, new cw.MathExpression({
    expression: 'desired - running',
    usingMetrics: { desired: metric('DesiredTaskCount', 'Maximum'), running: metric('RunningTaskCount', 'Minimum') },
    label: `Missing ${what} tasks`,
    period: minutes(5),
  }), {
    threshold: 0, op: GT, periods: 3, missing: cw.TreatMissingData.BREACHING,
    description: `Fewer ${what} tasks run than the service wants, for 15 minutes: tasks are crashing, failing health checks or cannot start. First: Open the ${what} service's events and its stopped tasks' stop reasons (image pull, secrets, out of memory, exit codes), then its logs.`,
  });
}
addAlarm('ReleaseFailed', 'Release step', new cw.Metric({
  namespace: 'djangocdk',
  metricName: 'ReleaseFailed',
  dimensionsMap: { App: appName },
  statistic: 'Sum',
  period: minutes(5),
  label: 'Failed releases',
}), {
  threshold: 1, op: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 1, missing: NOT_BREACHING,
  description:
    "A deploy's release step (migrate, collectstatic) failed and CloudFormation rolled the deploy back; the previous version still serves. First: Read the failure reason in the stack's events (it names the exit code and the release task's log stream) and fix the migration or command before deploying again.",
});
addAlarm('DatabaseCpu', 'Database CPU (%)', db.metricCPUUtilization(five('Average')), {
  threshold: 90, op: GT, periods: 3, missing: NOT_BREACHING,
  description:
    "The database's CPU stayed above 90% for 15 minutes; queries slow down and requests time out. First: Find the expensive queries (Performance Insights or the PostgreSQL log), add the missing index or cache; then consider a larger instance class or MaxCapacity.",
});
addAlarm('DatabaseConnections', 'Database connections', db.metricDatabaseConnections(five('Maximum')), {
  threshold: 60, op: GT, periods: 3, missing: NOT_BREACHING,
  description:
    "More than 60 connections were open to the database for 15 minutes; near PostgreSQL's max_connections new requests fail. First: Check task counts (web, worker) against gunicorn workers and Celery concurrency, and CONN_MAX_AGE; an RDS Proxy or a larger instance raises the limit.",
});
addAlarm('DatabaseFreeStorage', 'Database free storage (GiB)', new cw.MathExpression({
  expression: 'free / 1073741824',
  usingMetrics: { free: db.metricFreeStorageSpace(five('Minimum')) },
  label: 'Free storage (GiB)',
  period: minutes(5),
}), {
  threshold: 2, op: cw.ComparisonOperator.LESS_THAN_THRESHOLD, periods: 3, missing: cw.TreatMissingData.BREACHING,
  description:
    "The database has had less than 2 GiB free for 15 minutes; a full volume stops every write. First: Check whether storage autoscaling reached MaxAllocatedStorageGiB (raise it) or is in its 6-hour cooldown; look for tables or logs growing unexpectedly.",
});
const perNode = (metricName: string, statistic: string): Record<string, cw.IMetric> => ({
  n1: new cw.Metric({
    namespace: 'AWS/ElastiCache',
    metricName,
    dimensionsMap: { CacheClusterId: Fn.join('', [group.ref, '-001']) },
    statistic,
    period: minutes(5),
  }),
});
addAlarm('CacheMemory', 'Cache memory used (%)', new cw.MathExpression({
  expression: 'MAX([n1])', usingMetrics: perNode('DatabaseMemoryUsagePercentage', 'Maximum'),
  label: 'Memory used (%, fullest node)', period: minutes(5),
}), {
  threshold: 80, op: GT, periods: 3, missing: NOT_BREACHING,
  description:
    "The cache used more than 80% of its memory for 15 minutes; when full it evicts keys, and Celery messages on it can be refused. First: Check for keys without a timeout and a growing Celery backlog (tasks enqueued faster than workers run them); then choose a larger node type.",
});
addAlarm('CacheEvictions', 'Cache evictions', new cw.MathExpression({
  expression: 'SUM([n1])', usingMetrics: perNode('Evictions', 'Sum'),
  label: 'Evicted keys', period: minutes(5),
}), {
  threshold: 0, op: GT, periods: 3, missing: NOT_BREACHING,
  description:
    "The cache evicted keys in each of the last three 5-minute periods: it is too small for what it holds, so cached pages and sessions are being lost. First: Look at memory use and key counts on the dashboard; set timeouts on cache keys or choose a larger node type.",
});
const dashboard = new cw.Dashboard(alarms, 'Dashboard', {
  dashboardName: `${appName}-${region}`,
  defaultInterval: Duration.hours(3),
});
dashboard.addWidgets(
  new cw.AlarmStatusWidget({ alarms: alarmList, title: 'Alarms', width: 12, height: 6 }),
  new cw.GraphWidget({
    title: 'Requests',
    left: [alb.metrics.requestCount({ period: minutes(1), statistic: 'Sum', label: 'Requests per minute' })],
    width: 12,
    height: 6,
  }),
);
for (let i = 0; i < widgets.length; i += 3) dashboard.addWidgets(...widgets.slice(i, i + 3));

// ---- Outputs (outputs.go) ----------------------------------------------------
const out = (id: string, value: string, description: string) => new CfnOutput(site, id, { value, description });
out('Url', url, 'Public URL of the site');
out('ClusterName', cluster.clusterName, 'ECS cluster');
out('WebServiceName', services.web.serviceName, 'Web (gunicorn) service');
out('WorkerServiceName', services.worker.serviceName, 'Celery worker service');
out('BeatServiceName', services.beat.serviceName, 'Celery beat service');
out('AssetsDomain', host, 'Host serving static and media files (the site itself with the CloudFront edge)');
out('ShellCommand', 'ECS Exec is off: set EnableExec to open a shell in a running container', 'Open a shell in a running web container');
out('ManageCommand', Fn.join('', [
  'aws ecs run-task --cluster ', cluster.clusterName, ' --launch-type FARGATE --task-definition ', taskDefs.release.family,
  " --network-configuration 'awsvpcConfiguration={subnets=[", Fn.join(',', vpc.selectSubnets(appSubnets).subnetIds),
  '],securityGroups=[', webSG.securityGroupId, "],assignPublicIp=DISABLED}'",
  ' --overrides \'{"containerOverrides":[{"name":"release","command":["python","manage.py","COMMAND"]}]}\'',
]), 'Run a one-off management command: replace COMMAND (e.g. createsuperuser --noinput)');

if (Token.isUnresolved(region)) throw new Error('region must be explicit');
app.synth();
