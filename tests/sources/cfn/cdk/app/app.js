// The CDK app of the CDK tests: the seed's three tables in a dev, a staging (with no
// environment) and a prod stack (and the prod replica's alarms in a stack of its region),
// synthesized by app.synth() alone.
// With TABLESPEC_CDK_DEVIATE=1 it makes one deliberate deviation per rule instead (see
// tests/sources/cfn/cdk/test_cdk.py, which lists them). Plain JavaScript: no compile step.
'use strict';
const cdk = require('aws-cdk-lib');
const { aws_dynamodb: dynamodb, aws_cloudwatch: cloudwatch, aws_kms: kms, aws_sns: sns,
        aws_cloudwatch_actions: actions, aws_iam: iam } = cdk;

const DEVIATE = process.env.TABLESPEC_CDK_DEVIATE === '1';
const S = dynamodb.AttributeType.STRING;
const app = new cdk.App({
  outdir: process.env.CDK_OUTDIR,
  context: {  // what the CDK CLI sets: path metadata on, no stack traces (machine paths)
    'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:disable-stack-trace': true,
    'aws:cdk:disable-creation-stack-traces': true, 'aws:cdk:version-reporting': false,
  },
});

/** A ReadThrottleEvents or WriteThrottleEvents alarm on *table*, made with its metric. */
function throttleAlarm(scope, id, table, op, topic, threshold = 10) {
  const alarm = table.metric(`${op}ThrottleEvents`, { statistic: 'Sum',
    period: cdk.Duration.minutes(5) }).createAlarm(scope, id, { threshold,
    evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD });
  if (topic) alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}

class Tables extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const env = props.environment;
    const prod = env === 'prod';
    const bad = DEVIATE && prod;  // the deviations are in the prod stack (two in dev)
    const pitr = { pointInTimeRecoveryEnabled: prod };
    const topic = new sns.Topic(this, 'Alerts');

    const sessions = new dynamodb.TableV2(this, 'PlayerSessions', {
      tableName: `hypermage-vr-player-sessions-${env}`,
      partitionKey: { name: 'playerId', type: S }, sortKey: { name: 'sessionId', type: S },
      timeToLiveAttribute: bad ? undefined : 'ttl',                          // TS-TTL-001
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: pitr, deletionProtection: prod,
      tableClass: bad ? dynamodb.TableClass.STANDARD_INFREQUENT_ACCESS        // TS-CLASS-001
        : dynamodb.TableClass.STANDARD,
      billing: dynamodb.Billing.onDemand(bad ? {}                           // TS-CAP-001
        : { maxReadRequestUnits: 1000, maxWriteRequestUnits: 1000 }),
      replicas: prod ? [{ region: 'us-east-1', pointInTimeRecoverySpecification:
        { pointInTimeRecoveryEnabled: !bad } }] : [],                        // TS-PITR-001
    });

    // interaction-events lives in a nested stack, with its own alarms and topic
    const nested = new cdk.NestedStack(this, 'Events');
    const nestedTopic = new sns.Topic(nested, 'Alerts');
    const events = new dynamodb.Table(nested, 'InteractionEvents', {
      tableName: `hypermage-vr-interaction-events-${env}`,
      partitionKey: { name: 'sessionId', type: bad ? dynamodb.AttributeType.NUMBER : S },  // TS-KEY-001
      sortKey: { name: 'timestamp', type: S },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST, timeToLiveAttribute: 'ttl',
      encryption: bad ? dynamodb.TableEncryption.DEFAULT                     // TS-SSE-001
        : dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: pitr, deletionProtection: prod,
      contributorInsightsSpecification: { enabled: !bad },                  // TS-INSIGHTS-001
      stream: bad ? dynamodb.StreamViewType.KEYS_ONLY                        // TS-STREAM-001
        : dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      resourcePolicy: bad ? new iam.PolicyDocument({ statements: [          // TS-POLICY-001/002
        new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()],
          actions: ['dynamodb:GetItem'], resources: ['*'] }),
        new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('999999999999')],
          actions: ['dynamodb:Query'], resources: ['*'] })] }) : undefined,
    });
    if (!(DEVIATE && env === 'dev')) {                                       // TS-GSI-001 (dev)
      events.addGlobalSecondaryIndex({ indexName: 'PlayerIdIndex',
        partitionKey: { name: 'playerId', type: S },
        sortKey: bad ? undefined : { name: 'timestamp', type: S },           // TS-GSI-002
        projectionType: bad ? dynamodb.ProjectionType.KEYS_ONLY             // TS-GSI-003
          : dynamodb.ProjectionType.ALL });
    }

    const alarmed = [['Sessions', sessions, this, topic], ['Events', events, nested, nestedTopic]];
    if (!(DEVIATE && env === 'dev')) {                                       // TS-PRES-001 (dev)
      const key = new kms.Key(this, 'RewardsKey');
      const rewards = new dynamodb.Table(this, 'PlayerRewards', {
        tableName: `hypermage-vr-player-rewards-${env}`,
        partitionKey: { name: 'playerId', type: S },
        sortKey: { name: bad ? 'rewardKey' : 'rewardId', type: S },          // TS-KEY-002
        timeToLiveAttribute: bad ? 'ttl' : undefined,                        // TS-TTL-002
        billingMode: bad ? dynamodb.BillingMode.PROVISIONED                  // TS-BILL-001
          : dynamodb.BillingMode.PAY_PER_REQUEST,  // and 5 units, no scaling: TS-BILL-002, TS-CAP-002
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key,
        pointInTimeRecoverySpecification: bad ? { pointInTimeRecoveryEnabled: true,
          recoveryPeriodInDays: 7 } : pitr,                                  // TS-PITR-002
        deletionProtection: prod && !bad,                                    // TS-DEL-001
      });
      if (bad) {
        rewards.addGlobalSecondaryIndex({ indexName: 'ByReward',              // TS-GSI-004
          partitionKey: { name: 'rewardKey', type: S } });
        cdk.Tags.of(rewards).add('Environment', 'dev');                      // TS-NAME-002
      }
      alarmed.push(['Rewards', rewards, this, topic]);
    }
    if (bad) {
      new dynamodb.Table(this, 'Leaderboard', {                              // TS-NAME-001
        tableName: 'hypermage-vr-leaderboard-prod', partitionKey: { name: 'id', type: S },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST });
    }
    for (const [name, table, scope, alerts] of alarmed) {
      for (const op of ['Read', 'Write']) {
        if (bad && name === 'Rewards' && op === 'Write') continue;           // TS-ALARM-001
        const silent = bad && name === 'Sessions';                           // TS-ALARM-003
        const threshold = bad && name === 'Events' && op === 'Read' ? 50 : 10;  // TS-ALARM-002
        throttleAlarm(scope, `${name}${op}Throttles`, table, op, silent ? undefined : alerts,
                      threshold);
      }
    }
    for (const [tag, value] of [['Project', 'hypermage-vr'], ['Environment', env],
                                ['Owner', 'platform-team']]) {
      cdk.Tags.of(this).add(tag, value);  // the stack's tags: CloudFormation tags all with them
    }
    for (const [name, table] of alarmed) {  // the cost center, table by table
      if (!(bad && name === 'Events')) cdk.Tags.of(table).add('CostCenter', 'cc-1234');  // TS-TAG-001
    }
  }
}

/** The prod replica's alarms, in its own region: the replica's metrics are there. */
class ReplicaAlarms extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const topic = new sns.Topic(this, 'Alerts');
    const replica = dynamodb.TableV2.fromTableName(this, 'PlayerSessions',
      'hypermage-vr-player-sessions-prod');
    for (const op of ['Read', 'Write']) throttleAlarm(this, `Sessions${op}Throttles`, replica, op, topic);
  }
}

new Tables(app, 'Dev', { environment: 'dev', env: { account: '111111111111', region: 'eu-west-1' } });
new Tables(app, 'Staging', { environment: 'staging' });  // environment-agnostic
new Tables(app, 'Prod', { environment: 'prod', env: { account: '222222222222', region: 'eu-west-1' } });
new ReplicaAlarms(app, 'ProdUsEast', { env: { account: '222222222222', region: 'us-east-1' } });
app.synth();
