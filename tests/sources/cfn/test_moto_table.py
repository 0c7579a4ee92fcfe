"""What moto's CloudFormation makes of an AWS::DynamoDB::Table (and of what it cannot make):
the measurement test_moto_deploy.py's NOT_COMPARED rests on."""

from __future__ import annotations

import pytest

from tests.sources.cfn.moto_stack import PROJECT, REGION, client, deployed

pytestmark = [pytest.mark.usefixtures("aws", "read_only"),
              pytest.mark.filterwarnings("ignore:Tried to parse AWS::")]

EVERYTHING = f"""AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Provisioned:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: {PROJECT}-provisioned-prod
      BillingMode: PROVISIONED
      ProvisionedThroughput: {{ReadCapacityUnits: 3, WriteCapacityUnits: 4}}
      AttributeDefinitions:
        - {{AttributeName: pk, AttributeType: S}}
        - {{AttributeName: sk, AttributeType: N}}
        - {{AttributeName: g, AttributeType: B}}
      KeySchema:
        - {{AttributeName: pk, KeyType: HASH}}
        - {{AttributeName: sk, KeyType: RANGE}}
      GlobalSecondaryIndexes:
        - IndexName: G
          KeySchema: [{{AttributeName: g, KeyType: HASH}}]
          Projection: {{ProjectionType: INCLUDE, NonKeyAttributes: [a, b]}}
          ProvisionedThroughput: {{ReadCapacityUnits: 2, WriteCapacityUnits: 1}}
      LocalSecondaryIndexes:
        - IndexName: L
          KeySchema: [{{AttributeName: pk, KeyType: HASH}}, {{AttributeName: g, KeyType: RANGE}}]
          Projection: {{ProjectionType: KEYS_ONLY}}
      StreamSpecification: {{StreamViewType: NEW_AND_OLD_IMAGES}}
      DeletionProtectionEnabled: true
      SSESpecification: {{SSEEnabled: true, SSEType: KMS}}
      TableClass: STANDARD_INFREQUENT_ACCESS
      TimeToLiveSpecification: {{AttributeName: ttl, Enabled: true}}
      PointInTimeRecoverySpecification: {{PointInTimeRecoveryEnabled: true}}
      ContributorInsightsSpecification: {{Enabled: true}}
      ResourcePolicy:
        PolicyDocument:
          Version: "2012-10-17"
          Statement:
            - {{Effect: Allow, Principal: {{AWS: "arn:aws:iam::111111111111:root"}},
               Action: "dynamodb:GetItem", Resource: "*"}}
      Tags: [{{Key: Owner, Value: me}}]
  OnDemand:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: {PROJECT}-on-demand-prod
      BillingMode: PAY_PER_REQUEST
      OnDemandThroughput: {{MaxReadRequestUnits: 10, MaxWriteRequestUnits: 10}}
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]
      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]
      SSESpecification: {{SSEEnabled: true}}
  Global:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      TableName: {PROJECT}-global-prod
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]
      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]
      StreamSpecification: {{StreamViewType: NEW_AND_OLD_IMAGES}}
      Replicas: [{{Region: {REGION}}}]
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: {PROJECT}-on-demand-prod-read-throttles
      Namespace: AWS/DynamoDB
      MetricName: ReadThrottleEvents
      Dimensions: [{{Name: TableName, Value: !Ref OnDemand}}]
      Statistic: Sum
      ComparisonOperator: GreaterThanThreshold
      Threshold: 10
      Period: 300
      EvaluationPeriods: 1
"""


def test_what_moto_makes_of_a_table_resource() -> None:
    """The measurement NOT_COMPARED rests on: what moto honours, and what it drops. When
    moto changes, this fails first: move the family into the comparison (or out)."""
    ddb = client("dynamodb")
    with deployed(EVERYTHING) as names:
        status = client("cloudformation").describe_stacks(StackName=PROJECT)["Stacks"][0]
        assert status["StackStatus"] == "CREATE_COMPLETE"  # the global table and alarm too
        assert sorted(names) == [f"{PROJECT}-on-demand-prod", f"{PROJECT}-provisioned-prod"]
        assert client("cloudwatch").describe_alarms()["MetricAlarms"] == []
        table = ddb.describe_table(TableName=f"{PROJECT}-provisioned-prod")["Table"]
        # honoured
        assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                      {"AttributeName": "sk", "KeyType": "RANGE"}]
        assert {a["AttributeName"]: a["AttributeType"] for a in
                table["AttributeDefinitions"]} == {"pk": "S", "sk": "N", "g": "B"}
        assert table["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
        assert (table["ProvisionedThroughput"]["ReadCapacityUnits"],
                table["ProvisionedThroughput"]["WriteCapacityUnits"]) == (3, 4)
        (gsi,) = table["GlobalSecondaryIndexes"]
        assert gsi["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b"]}
        assert (gsi["ProvisionedThroughput"]["ReadCapacityUnits"],
                gsi["ProvisionedThroughput"]["WriteCapacityUnits"]) == (2, 1)
        (lsi,) = table["LocalSecondaryIndexes"]
        assert lsi["Projection"] == {"ProjectionType": "KEYS_ONLY"}
        assert table["StreamSpecification"] == {"StreamEnabled": True,
                                                "StreamViewType": "NEW_AND_OLD_IMAGES"}
        assert table["DeletionProtectionEnabled"] is True
        assert ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"] == [
            {"Key": "Owner", "Value": "me"}]
        # dropped
        assert "SSEDescription" not in table  # SSEEnabled: true, SSEType: KMS
        assert "TableClassSummary" not in table  # STANDARD_INFREQUENT_ACCESS
        assert ddb.describe_time_to_live(TableName=table["TableName"])[
            "TimeToLiveDescription"]["TimeToLiveStatus"] == "DISABLED"
        assert ddb.describe_continuous_backups(TableName=table["TableName"])[
            "ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
            "PointInTimeRecoveryStatus"] == "DISABLED"
        with pytest.raises(ddb.exceptions.PolicyNotFoundException):
            ddb.get_resource_policy(ResourceArn=table["TableArn"])
        with pytest.raises(Exception, match="DescribeContributorInsights"):  # not implemented
            client("dynamodb", retries={"total_max_attempts": 1}
                    ).describe_contributor_insights(TableName=table["TableName"])
        on_demand = ddb.describe_table(TableName=f"{PROJECT}-on-demand-prod")["Table"]
        assert on_demand["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        assert "OnDemandThroughput" not in on_demand  # MaxRead/WriteRequestUnits: 10
        assert "SSEDescription" not in on_demand  # SSEEnabled: true
