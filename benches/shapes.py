#!/usr/bin/env python3
"""Repository shapes for the benchmark, written by a generator independent of
examples/gen_corpus.rs (other naming, other proportions), so the numbers are not tuned to one
generator's habits.

Usage: python3 benches/shapes.py SHAPE SCALE OUT
  SHAPE: default | cfn-heavy | large-stacks | shared-names | one-module | flat | plan | noise |
         statements | template | central | modules
  SCALE: 1 (about 1,000 files, or the shape's small size) or 10 (ten times that)

Shapes:
  default       85 % Terraform: service root modules (filler + CloudTrail module calls with
                policies as jsonencode, heredocs and policy documents), CloudFormation stacks,
                raw policies, vendored .terraform/ folders
  cfn-heavy     70 % CloudFormation YAML/JSON stacks (trails, buckets, policies, Fn::Sub,
                conditions), 20 % raw JSON policies, 10 % Terraform
  large-stacks  CloudFormation stacks of real size (70 % YAML of 18 KB, 30 % JSON of 30 KB): each
                stack's trail, bucket and policy beside 50 roles, functions, queues, topics,
                tables, log groups and alarms
  shared-names  300 * SCALE stacks, each a trail + bucket + policy, reusing a dozen logical IDs
  one-module    50 * SCALE root modules, each calling the same local CloudTrail module
  flat          one folder of 500 * SCALE .tf files, one Terraform module
  plan          one `terraform show -json` plan of 2,000 * SCALE resources (5 MB * SCALE)
  noise         20 MB * SCALE of Kubernetes manifests and package locks around 10 * SCALE policies
  statements    one bucket policy of 200 * SCALE statements, each a finding with a fix
  template      one CloudFormation template of 50 * SCALE buckets, policies and trails, each
                policy a finding with fixes
  central       an organization's log archive: one bucket policy granting 150 member accounts
                (by literal ARN and aws:SourceAccount), and 1,000 * SCALE account roots, each
                with a trail delivering to that bucket by its literal name
  modules       a terraform-aws-modules style repository: 30 * SCALE modules of nine files
                (main, variables, outputs, locals, ...; one in seven a CloudTrail module with
                bucket and key policies) and environment roots calling six modules each
"""
import json
import os
import random
import sys

ACCOUNTS = ["123456789012", "210987654321", "555555555555", "444455556666"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"]
LOGICAL = ["AuditBucket", "LogBucket", "TrailBucket", "CloudTrailLogs", "Logs", "AccessLogs",
           "OrgTrailBucket", "SecurityLogs", "CentralLogs", "ComplianceBucket", "Archive",
           "EventsBucket"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def bucket_policy(bucket, account, prefix, defect):
    """A CloudTrail bucket policy as a dict; `defect` breaks one thing."""
    res = f"arn:aws:s3:::{bucket}/{prefix + '/' if prefix else ''}AWSLogs/{account}/*"
    if defect == "prefix":
        res = f"arn:aws:s3:::{bucket}/wrong/AWSLogs/{account}/*"
    cond = {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                             "aws:SourceAccount": account}}
    if defect == "condition":
        cond = {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
    principal = {"Service": "cloudtrail.amazonaws.com"}
    if defect == "legacy":
        principal = {"AWS": "arn:aws:iam::086441151436:root"}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:GetBucketAcl", "Resource": f"arn:aws:s3:::{bucket}"},
            {"Sid": "Write", "Effect": "Allow", "Principal": principal,
             "Action": "s3:PutObject", "Resource": res, "Condition": cond},
        ],
    }


def hcl_filler(r, i):
    out = []
    for j in range(r.randint(3, 8)):
        out.append(f'''resource "aws_security_group_rule" "ingress_{i}_{j}" {{
  type              = "ingress"
  from_port         = {r.choice([22, 80, 443, 5432])}
  to_port           = {r.choice([22, 80, 443, 5432])}
  protocol          = "tcp"
  cidr_blocks       = ["10.{j}.0.0/16"]
  security_group_id = aws_security_group.svc.id
}}

resource "aws_lambda_function" "worker_{j}" {{
  function_name = "${{var.name}}-worker-{j}"
  role          = aws_iam_role.worker.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  environment {{
    variables = {{
      STAGE = var.stage
      QUEUE = "queue-{i}-{j}"
    }}
  }}
}}
''')
    return "\n".join(out)


def tf_service(r, root, i, defect):
    """A Terraform service root: variables, filler, a CloudTrail module call or inline trail."""
    d = os.path.join(root, f"services/svc{i:05d}")
    account = r.choice(ACCOUNTS)
    bucket = f"svc{i}-audit-{account}"
    prefix = r.choice(["", "trail", f"svc{i}"])
    write(os.path.join(d, "variables.tf"), f'''variable "name" {{
  type    = string
  default = "svc{i}"
}}
variable "stage" {{
  type    = string
  default = "prod"
}}
''')
    write(os.path.join(d, "compute.tf"), hcl_filler(r, i))
    kind = r.randrange(4)
    if kind == 0:
        write(os.path.join(d, "audit.tf"), f'''module "audit" {{
  source        = "../../modules/audit-trail"
  name          = "svc{i}"
  bucket_name   = "{bucket}"
  s3_key_prefix = "{prefix}"
}}
''')
    elif kind == 1:
        pol = bucket_policy(bucket, account, prefix, defect)
        write(os.path.join(d, "audit.tf"), f'''resource "aws_s3_bucket" "audit" {{
  bucket = "{bucket}"
}}

resource "aws_cloudtrail" "audit" {{
  name           = "svc{i}"
  s3_bucket_name = aws_s3_bucket.audit.id
  s3_key_prefix  = "{prefix}"
}}

resource "aws_s3_bucket_policy" "audit" {{
  bucket = aws_s3_bucket.audit.id
  policy = <<POLICY
{json.dumps(pol, indent=2)}
POLICY
}}
''')
    elif kind == 2:
        res = f"${{aws_s3_bucket.audit.arn}}/{prefix + '/' if prefix else ''}AWSLogs/${{data.aws_caller_identity.me.account_id}}/*"
        if defect == "prefix":
            res = "${aws_s3_bucket.audit.arn}/wrong/AWSLogs/${data.aws_caller_identity.me.account_id}/*"
        write(os.path.join(d, "audit.tf"), f'''data "aws_caller_identity" "me" {{}}

resource "aws_s3_bucket" "audit" {{
  bucket = "{bucket}"
}}

resource "aws_cloudtrail" "audit" {{
  name           = "svc{i}"
  s3_bucket_name = aws_s3_bucket.audit.id
  s3_key_prefix  = "{prefix}"
}}

data "aws_iam_policy_document" "audit" {{
  statement {{
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.audit.arn]
    principals {{
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }}
  }}
  statement {{
    actions   = ["s3:PutObject"]
    resources = ["{res}"]
    principals {{
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }}
  }}
}}

resource "aws_s3_bucket_policy" "audit" {{
  bucket = aws_s3_bucket.audit.id
  policy = data.aws_iam_policy_document.audit.json
}}
''')
    else:
        write(os.path.join(d, "audit.tf"), f'''resource "aws_s3_bucket" "audit" {{
  bucket = "{bucket}"
}}

resource "aws_s3_bucket_policy" "audit" {{
  bucket = aws_s3_bucket.audit.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.audit.arn
      }},
      {{
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:PutObject"
        Resource  = "${{aws_s3_bucket.audit.arn}}/AWSLogs/*"
        Condition = {{
          StringEquals = {{ "s3:x-amz-acl" = "bucket-owner-full-control" }}
        }}
      }}
    ]
  }})
}}
''')
    # A vendored copy of the shared module, as `terraform init` leaves it: never scanned.
    if r.random() < 0.3:
        write(os.path.join(d, ".terraform/modules/audit/main.tf"), AUDIT_MODULE)
    return 4 if kind else 3


AUDIT_MODULE = '''variable "name" { type = string }
variable "bucket_name" { type = string }
variable "s3_key_prefix" {
  type    = string
  default = ""
}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_s3_bucket" "this" {
  bucket = var.bucket_name
}

resource "aws_cloudtrail" "this" {
  name                       = var.name
  s3_bucket_name             = aws_s3_bucket.this.id
  s3_key_prefix              = var.s3_key_prefix
  is_multi_region_trail      = true
  enable_log_file_validation = true
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSCloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.this.arn
      },
      {
        Sid       = "AWSCloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.this.arn}/${var.s3_key_prefix == "" ? "" : "${var.s3_key_prefix}/"}AWSLogs/${data.aws_caller_identity.current.account_id}/*"
        Condition = {
          StringEquals = {
            "s3:x-amz-acl"  = "bucket-owner-full-control"
            "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/${var.name}"
          }
        }
      }
    ]
  })
}
'''


def cfn_filler(r, i, n):
    """`n` resources a real stack holds beside its audit trail: roles with trust policies,
    functions, queues, topics, tables, log groups and alarms (none of them a trail's)."""
    out = {}
    for k in range(n):
        kind = k % 7
        if kind == 0:
            out[f"Role{k}"] = {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                     "Action": "sts:AssumeRole"}]},
                "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
                "Policies": [{"PolicyName": f"read-{k}", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                     "Resource": {"Fn::GetAtt": [f"Table{k + 4}", "Arn"]}}]}}]}}
        elif kind == 1:
            out[f"Function{k}"] = {"Type": "AWS::Lambda::Function", "Properties": {
                "Runtime": r.choice(["python3.12", "nodejs20.x"]), "Handler": "index.handler",
                "Role": {"Fn::GetAtt": [f"Role{k - 1}", "Arn"]}, "Timeout": 30, "MemorySize": 256,
                "Code": {"S3Bucket": {"Fn::Sub": "artifacts-${AWS::AccountId}"}, "S3Key": f"fn/{i}/{k}.zip"},
                "Environment": {"Variables": {"TABLE": {"Ref": f"Table{k + 3}"}, "STAGE": {"Ref": "Env"}}}}}
        elif kind == 2:
            out[f"Queue{k}"] = {"Type": "AWS::SQS::Queue", "Properties": {
                "QueueName": f"q-{i}-{k}", "VisibilityTimeout": 60, "MessageRetentionPeriod": 345600}}
        elif kind == 3:
            out[f"Topic{k}"] = {"Type": "AWS::SNS::Topic", "Properties": {
                "TopicName": f"t-{i}-{k}", "Subscription": [
                    {"Protocol": "sqs", "Endpoint": {"Fn::GetAtt": [f"Queue{k - 1}", "Arn"]}}]}}
        elif kind == 4:
            out[f"Table{k}"] = {"Type": "AWS::DynamoDB::Table", "Properties": {
                "TableName": f"tbl-{i}-{k}", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                         {"AttributeName": "sk", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}]}}
        elif kind == 5:
            out[f"Logs{k}"] = {"Type": "AWS::Logs::LogGroup", "Properties": {
                "LogGroupName": {"Fn::Sub": f"/aws/lambda/${{Function{k - 4}}}"}, "RetentionInDays": 30}}
        else:
            out[f"Alarm{k}"] = {"Type": "AWS::CloudWatch::Alarm", "Properties": {
                "AlarmDescription": f"errors of function {k - 5}", "Namespace": "AWS/Lambda",
                "MetricName": "Errors", "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1,
                "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": f"Function{k - 5}"}}],
                "AlarmActions": [{"Ref": f"Topic{k - 3}"}]}}
    return out


def cfn_stack(r, path, i, logical, defect, as_json=False, filler=0):
    """A CloudFormation stack with a trail, its bucket and the bucket policy (and `filler`
    other resources)."""
    prefix = r.choice(["", "audit", f"stack{i}"])
    wrong = "wrong/" if defect == "prefix" else (prefix + "/" if prefix else "")
    cond = {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                             "aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/stack" + str(i)}}}
    if defect == "condition":
        cond = {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
    t = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Stack {i}: audit trail",
        "Parameters": {"Env": {"Type": "String", "Default": "prod"}},
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
        "Resources": {
            logical: {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled"}}},
            f"{logical}Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
                "Bucket": {"Ref": logical},
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                     "Action": "s3:GetBucketAcl", "Resource": {"Fn::GetAtt": [logical, "Arn"]}},
                    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                     "Action": "s3:PutObject",
                     "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${" + logical + "}/" + wrong + "AWSLogs/${AWS::AccountId}/*"},
                     "Condition": cond},
                ]}}},
            "Trail": {"Type": "AWS::CloudTrail::Trail", "DependsOn": [f"{logical}Policy"], "Properties": {
                "TrailName": f"stack{i}", "S3BucketName": {"Ref": logical}, "IsLogging": True,
                **({"S3KeyPrefix": prefix} if prefix else {})}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": f"q-{i}"}},
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
                "TableName": f"t-{i}", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
            **cfn_filler(r, i, filler),
        },
    }
    if as_json:
        write(path, json.dumps(t, indent=2))
    else:
        write(path, to_yaml(t))


def to_yaml(v, indent=0):
    """Block YAML with CloudFormation short forms for Ref, Fn::Sub and Fn::GetAtt."""
    pad = "  " * indent
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, dict) and len(x) == 1 and next(iter(x)) in ("Ref", "Fn::Sub", "Fn::GetAtt"):
                fn, arg = next(iter(x.items()))
                if fn == "Ref":
                    out.append(f"{pad}{k}: !Ref {arg}")
                elif fn == "Fn::Sub":
                    out.append(f"{pad}{k}: !Sub \"{arg}\"")
                else:
                    out.append(f"{pad}{k}: !GetAtt {arg[0]}.{arg[1]}")
            elif isinstance(x, (dict, list)) and x:
                out.append(f"{pad}{k}:")
                out.append(to_yaml(x, indent + 1))
            else:
                out.append(f"{pad}{k}: {scalar(x)}")
    else:
        for x in v:
            body = to_yaml(x, indent + 1) if isinstance(x, (dict, list)) else "  " * (indent + 1) + scalar(x)
            out.append(pad + "- " + body.lstrip())
    return "\n".join(out) + ("\n" if indent == 0 else "")


def scalar(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float)):
        return str(x)
    if isinstance(x, dict) or isinstance(x, list):
        return json.dumps(x)
    s = str(x)
    return json.dumps(s) if any(c in s for c in ":{}[],#&*!|>'\"%@`") or s == "" else s


def defect_of(r):
    return r.choice([None, None, None, None, "prefix", "condition", "legacy"])


def shape_default(root, scale, r):
    files = 0
    target = 1000 * scale
    write(os.path.join(root, "modules/audit-trail/main.tf"), AUDIT_MODULE)
    i = 0
    while files < target:
        x = r.random()
        if x < 0.85:
            files += tf_service(r, root, i, defect_of(r))
        elif x < 0.95:
            cfn_stack(r, os.path.join(root, f"stacks/team{i % 40}/stack{i}.yaml"), i, r.choice(LOGICAL), defect_of(r))
            files += 1
        else:
            pol = bucket_policy(f"raw-{i}", r.choice(ACCOUNTS), "", defect_of(r))
            write(os.path.join(root, f"policies/p{i}.json"), json.dumps(pol, indent=2))
            files += 1
        i += 1


def shape_cfn_heavy(root, scale, r):
    target = 1000 * scale
    for i in range(target):
        x = r.random()
        if x < 0.7:
            ext = "json" if r.random() < 0.4 else "yaml"
            cfn_stack(r, os.path.join(root, f"cfn/app{i % 100}/stack{i}.{ext}"), i, r.choice(LOGICAL), defect_of(r), ext == "json")
        elif x < 0.9:
            pol = bucket_policy(f"raw-{i}", r.choice(ACCOUNTS), r.choice(["", "logs"]), defect_of(r))
            write(os.path.join(root, f"policies/team{i % 30}/p{i}.json"), json.dumps(pol, indent=2))
        else:
            d = os.path.join(root, f"tf/env{i}")
            write(os.path.join(d, "main.tf"), hcl_filler(r, i))


def shape_large_stacks(root, scale, r):
    target = 1000 * scale
    for i in range(target):
        ext = "json" if r.random() < 0.3 else "yaml"
        cfn_stack(r, os.path.join(root, f"stacks/app{i % 100}/stack{i}.{ext}"), i, r.choice(LOGICAL), defect_of(r), ext == "json", 50)


def shape_shared_names(root, scale, r):
    for i in range(300 * scale):
        cfn_stack(r, os.path.join(root, f"stacks/s{i}/template.yaml"), i, LOGICAL[i % len(LOGICAL)], defect_of(r))


def shape_one_module(root, scale, r):
    write(os.path.join(root, "modules/audit-trail/main.tf"), AUDIT_MODULE)
    for i in range(50 * scale):
        d = os.path.join(root, f"live/acct{i:04d}")
        write(os.path.join(d, "main.tf"), f'''module "audit" {{
  source        = "../../modules/audit-trail"
  name          = "acct{i}"
  bucket_name   = "acct{i}-audit-logs"
  s3_key_prefix = "{r.choice(['', 'audit'])}"
}}
''')
        write(os.path.join(d, "compute.tf"), hcl_filler(r, i))


def shape_flat(root, scale, r):
    for i in range(500 * scale):
        if i % 10 == 0:
            bucket = f"flat-{i}"
            pol = bucket_policy(bucket, r.choice(ACCOUNTS), "", defect_of(r))
            text = f'''resource "aws_s3_bucket" "b{i}" {{
  bucket = "{bucket}"
}}

resource "aws_cloudtrail" "t{i}" {{
  name           = "t{i}"
  s3_bucket_name = aws_s3_bucket.b{i}.id
}}

resource "aws_s3_bucket_policy" "p{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  policy = <<EOF
{json.dumps(pol, indent=2)}
EOF
}}
'''
        else:
            text = hcl_filler(r, i).replace("aws_security_group.svc.id", f'"sg-{i}"').replace("aws_iam_role.worker.arn", f'"arn:aws:iam::123456789012:role/w{i}"').replace("var.name", f'"n{i}"').replace("var.stage", '"prod"')
        write(os.path.join(root, f"infra/f{i:05d}.tf"), text)


def shape_plan(root, scale, r):
    resources = []
    n = 2000 * scale
    for i in range(n):
        if i % 20 == 0:
            bucket = f"plan-{i}"
            resources.append({"address": f"aws_s3_bucket_policy.p{i}", "mode": "managed",
                              "type": "aws_s3_bucket_policy", "name": f"p{i}",
                              "provider_name": "registry.terraform.io/hashicorp/aws",
                              "values": {"bucket": bucket,
                                         "policy": json.dumps(bucket_policy(bucket, r.choice(ACCOUNTS), "", defect_of(r)))}})
            resources.append({"address": f"aws_cloudtrail.t{i}", "mode": "managed", "type": "aws_cloudtrail",
                              "name": f"t{i}", "provider_name": "registry.terraform.io/hashicorp/aws",
                              "values": {"name": f"t{i}", "s3_bucket_name": bucket, "s3_key_prefix": None}})
        else:
            resources.append({"address": f"aws_instance.i{i}", "mode": "managed", "type": "aws_instance",
                              "name": f"i{i}", "provider_name": "registry.terraform.io/hashicorp/aws",
                              "values": {"ami": "ami-0abcdef", "instance_type": "t3.micro",
                                         "tags": {"Name": f"i{i}", "Owner": "team", "Cost": "cc-1"},
                                         "user_data": "x" * 1800}})
    plan = {"format_version": "1.2", "terraform_version": "1.9.0",
            "planned_values": {"root_module": {"resources": resources}},
            "configuration": {"root_module": {}}}
    write(os.path.join(root, "plan/tfplan.json"), json.dumps(plan))


def shape_noise(root, scale, r):
    total = 20_000_000 * scale
    written = 0
    i = 0
    while written < total:
        if i % 3 == 0:
            deps = {f"node_modules/pkg-{i}-{j}": {"version": f"1.{j}.0", "resolved": f"https://registry.npmjs.org/pkg-{j}/-/pkg-{j}-1.{j}.0.tgz",
                                                  "integrity": "sha512-" + "A" * 86, "dev": j % 2 == 0} for j in range(400)}
            text = json.dumps({"name": f"app{i}", "lockfileVersion": 3, "packages": deps}, indent=2)
            path = os.path.join(root, f"apps/app{i}/package-lock.json")
        else:
            docs = []
            for j in range(40):
                docs.append(f'''apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}-{j}
  labels: {{app: web, tier: frontend}}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: "registry.example.com/web:{i}.{j}"
          ports: [{{containerPort: 8080}}]
          env:
            - name: LOG_LEVEL
              value: info
''')
            text = "---\n".join(docs)
            path = os.path.join(root, f"k8s/ns{i % 50}/deploy{i}.yaml")
        write(path, text)
        written += len(text)
        i += 1
    for k in range(10 * scale):
        pol = bucket_policy(f"noise-{k}", r.choice(ACCOUNTS), "", defect_of(r))
        write(os.path.join(root, f"security/policies/p{k}.json"), json.dumps(pol, indent=2))


def shape_statements(root, scale, r):
    statements = [{"Sid": f"S{i}", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                   "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::big/p{i}/AWSLogs/{r.choice(ACCOUNTS)}/*"}
                  for i in range(200 * scale)]
    write(os.path.join(root, "policies/big.json"),
          json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2))


def shape_template(root, scale, r):
    out = ['AWSTemplateFormatVersion: "2010-09-09"', "Resources:"]
    for i in range(50 * scale):
        out.append(f"""  Bucket{i}:
    Type: AWS::S3::Bucket
  Policy{i}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket{i}
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: cloudtrail.amazonaws.com}}
            Action: s3:PutObject
            Resource: !Sub "arn:${{AWS::Partition}}:s3:::${{Bucket{i}}}/AWSLogs/${{AWS::AccountId}}/*"
  Trail{i}:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: !Ref Bucket{i}
      IsLogging: true""")
    write(os.path.join(root, "stacks/big.yaml"), "\n".join(out) + "\n")


def shape_central(root, scale, r):
    bucket = "org-log-archive"
    members = [f"{300000000000 + 7919 * k:012d}" for k in range(150)]
    # The documented policy, its write grant widened to every member account.
    policy = bucket_policy(bucket, members[0], "", None)
    grant = policy["Statement"][1]
    grant["Resource"] = [f"arn:aws:s3:::{bucket}/AWSLogs/{m}/*" for m in members]
    grant["Condition"]["StringEquals"]["aws:SourceAccount"] = members
    write(os.path.join(root, "log-archive/main.tf"), f'''resource "aws_s3_bucket" "archive" {{
  bucket = "{bucket}"
}}

resource "aws_s3_bucket_policy" "archive" {{
  bucket = aws_s3_bucket.archive.id
  policy = <<POLICY
{json.dumps(policy, indent=2)}
POLICY
}}
''')
    for i in range(1000 * scale):
        d = os.path.join(root, f"accounts/ou{i // 100:03d}/member{i:05d}")
        write(os.path.join(d, "main.tf"), f'''data "aws_caller_identity" "this" {{}}

resource "aws_cloudtrail" "member" {{
  name                          = "member-{i}"
  s3_bucket_name                = "{bucket}"
  s3_key_prefix                 = "{r.choice(['', '', 'cloudtrail'])}"
  include_global_service_events = true
  is_multi_region_trail         = true
}}
''')


MODULE_KINDS = ["cloudtrail", "bucket", "kms", "vpc", "iam", "lambda", "queue"]

MODULE_VARIABLES = [
    ("create", "bool", "true"), ("tags", "map(string)", "{}"), ("stage", "string", '"prod"'),
    ("rules", "map(object({ port = number, cidr = string }))",
     '{ https = { port = 443, cidr = "10.0.0.0/8" }, pg = { port = 5432, cidr = "10.1.0.0/16" } }'),
    ("extra_statements", "any", "[]"), ("s3_key_prefix", "string", '""'),
    ("retention_days", "number", "90")]

MODULE_TRAIL = """resource "aws_s3_bucket" "this" {
  count  = local.create ? 1 : 0
  bucket = var.bucket_name
  tags   = local.tags
}

resource "aws_cloudtrail" "this" {
  count                         = local.create ? 1 : 0
  name                          = var.name
  s3_bucket_name                = aws_s3_bucket.this[0].id
  s3_key_prefix                 = var.s3_key_prefix
  kms_key_id                    = aws_kms_key.this[0].arn
  include_global_service_events = true
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  tags                          = local.tags
}
"""

MODULE_POLICY = """locals {
  trail_arn = "arn:${data.aws_partition.current.partition}:cloudtrail:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:trail/${var.name}"
}

data "aws_iam_policy_document" "bucket" {
  count = local.create ? 1 : 0
  statement {
    sid       = "AWSCloudTrailAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.this[0].arn]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
  statement {
    sid       = "AWSCloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this[0].arn}/${local.prefix}AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
  dynamic "statement" {
    for_each = var.extra_statements
    content {
      sid       = try(statement.value.sid, null)
      effect    = try(statement.value.effect, "Allow")
      actions   = statement.value.actions
      resources = try(statement.value.resources, [aws_s3_bucket.this[0].arn])
      principals {
        type        = "AWS"
        identifiers = try(statement.value.principals, ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"])
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  count  = local.create ? 1 : 0
  bucket = aws_s3_bucket.this[0].id
  policy = data.aws_iam_policy_document.bucket[0].json
}
"""

MODULE_KMS = """resource "aws_kms_key" "this" {
  count               = local.create ? 1 : 0
  description         = "CloudTrail logs of ${var.name}"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableRoot"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AllowCloudTrailEncrypt"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
        Condition = {
          StringLike = {
            "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:${data.aws_partition.current.partition}:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*"
          }
          StringEquals = {
            "aws:SourceArn" = local.trail_arn
          }
        }
      }
    ]
  })
  tags = local.tags
}
"""


def module_files(kind, n):
    """The nine files of a registry-style module (terraform-aws-modules idioms: `create`
    switches, `for_each` over maps of objects, dynamic blocks, `try`, merged tags)."""
    variables = MODULE_VARIABLES + [("name", "string", f'"{kind}{n}"'),
                                    ("bucket_name", "string", f'"{kind}-{n}-logs"')]
    files = {
        "versions.tf": 'terraform {\n  required_version = ">= 1.3"\n  required_providers {\n'
                       '    aws = {\n      source  = "hashicorp/aws"\n      version = ">= 5.0"\n'
                       '    }\n  }\n}\n',
        "variables.tf": "".join(f'variable "{v}" {{\n  description = "The {v} of the {kind} module"\n'
                                f'  type        = {t}\n  default     = {d}\n}}\n\n'
                                for v, t, d in variables),
        "locals.tf": f'''locals {{
  create = var.create && var.stage != "none"
  tags = merge({{
    Module    = "{kind}"
    Name      = var.name
    Stage     = var.stage
    Terraform = "true"
  }}, var.tags)
  rule_list = [for k, v in var.rules : merge(v, {{ name = k }})]
  prefix    = var.s3_key_prefix == "" ? "" : "${{var.s3_key_prefix}}/"
}}
''',
        "data.tf": 'data "aws_caller_identity" "current" {}\ndata "aws_partition" "current" {}\n'
                   'data "aws_region" "current" {}\n',
        "outputs.tf": "".join(f'output "{o}" {{\n  description = "The {o}"\n'
                              f'  value       = try(aws_security_group.this[0].{o}, null)\n}}\n\n'
                              for o in ["id", "arn", "name", "owner_id"]),
        "iam.tf": f'''data "aws_iam_policy_document" "assume" {{
  count = local.create ? 1 : 0
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "this" {{
  count              = local.create ? 1 : 0
  name               = "${{var.name}}-{kind}"
  assume_role_policy = data.aws_iam_policy_document.assume[0].json
  tags               = local.tags
}}

resource "aws_iam_role_policy_attachment" "this" {{
  for_each   = local.create ? toset(["arn:aws:iam::aws:policy/ReadOnlyAccess"]) : toset([])
  role       = aws_iam_role.this[0].name
  policy_arn = each.value
}}
''',
        "main.tf": f'''resource "aws_security_group" "this" {{
  count       = local.create ? 1 : 0
  name_prefix = "${{var.name}}-"
  description = "Security group of {kind} {n}"
  tags        = local.tags

  dynamic "ingress" {{
    for_each = var.rules
    content {{
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
      description = "${{ingress.key}} from ${{ingress.value.cidr}}"
    }}
  }}

  lifecycle {{
    create_before_destroy = true
  }}
}}

resource "aws_cloudwatch_log_group" "this" {{
  count             = local.create ? 1 : 0
  name              = "/aws/{kind}/${{var.name}}"
  retention_in_days = var.retention_days
  tags              = local.tags
}}

resource "aws_ssm_parameter" "rules" {{
  for_each = {{ for r in local.rule_list : r.name => r if local.create }}
  name     = "/${{var.name}}/rules/${{each.key}}"
  type     = "String"
  value    = jsonencode(each.value)
}}
''',
    }
    if kind == "cloudtrail":
        files["trail.tf"] = MODULE_TRAIL
        # One CloudTrail module in three forgets the prefix in its write grant: each call
        # that sets one is a finding in the module's file.
        files["policy.tf"] = MODULE_POLICY if n % 3 else MODULE_POLICY.replace("${local.prefix}AWSLogs", "AWSLogs")
        files["kms.tf"] = MODULE_KMS
    else:
        for stem in ["alarms", "metrics", "dashboards"]:
            files[stem + ".tf"] = "".join(f'''resource "aws_cloudwatch_metric_alarm" "{stem}_{j}" {{
  count               = local.create ? 1 : 0
  alarm_name          = "${{var.name}}-{stem}-{j}"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = {j + 1}
  metric_name         = "Errors"
  namespace           = "AWS/{kind.capitalize()}"
  period              = 300
  statistic           = "Sum"
  threshold           = {10 * (j + 1)}
  dimensions = {{
    Name = var.name
  }}
  tags = local.tags
}}

''' for j in range(4))
    return files


def shape_modules(root, scale, r):
    """A terraform-aws-modules style repository: 30 * SCALE modules of nine files each (one
    in seven a CloudTrail module with its bucket and key policies), and environment roots
    calling six of them each, until the tree holds 1,000 * SCALE files."""
    mods = []
    for n in range(30 * scale):
        kind = MODULE_KINDS[n % len(MODULE_KINDS)]
        name = f"m{n:04d}-{kind}"
        for f, text in module_files(kind, n).items():
            write(os.path.join(root, "modules", name, f), text)
        mods.append((name, kind))
    files = 9 * len(mods)
    e = 0
    while files < 1000 * scale:
        stage = ["dev", "stage", "prod"][e % 3]
        d = os.path.join(root, f"envs/{stage}/{r.choice(REGIONS)}/svc{e:05d}")
        calls = []
        for j, (name, kind) in enumerate(r.sample(mods, 6)):
            args = [f'  source = "../../../../modules/{name}"', f'  name   = "svc{e}-{j}"',
                    f'  stage  = "{stage}"', "  tags   = local.tags"]
            if kind == "cloudtrail":
                args.append(f'  bucket_name   = "svc{e}-{j}-trail-logs"')
                args.append(f'  s3_key_prefix = "{r.choice(["", "trail", f"svc{e}"])}"')
            calls.append(f'module "{kind}_{j}" {{\n' + "\n".join(args) + "\n}\n")
        write(os.path.join(d, "main.tf"), "\n".join(calls))
        write(os.path.join(d, "locals.tf"), f'locals {{\n  tags = {{\n    Service = "svc{e}"\n'
                                            f'    Owner   = "team-{e % 17}"\n  }}\n}}\n')
        write(os.path.join(d, "providers.tf"), f'provider "aws" {{\n  region = "{r.choice(REGIONS)}"\n}}\n\n'
                                               f'terraform {{\n  backend "s3" {{\n    bucket = "tfstate-{e % 5}"\n'
                                               f'    key    = "svc{e}/terraform.tfstate"\n'
                                               f'    region = "us-east-1"\n  }}\n}}\n')
        files += 3
        e += 1


SHAPES = {
    "default": shape_default,
    "cfn-heavy": shape_cfn_heavy,
    "large-stacks": shape_large_stacks,
    "shared-names": shape_shared_names,
    "one-module": shape_one_module,
    "flat": shape_flat,
    "plan": shape_plan,
    "noise": shape_noise,
    "statements": shape_statements,
    "template": shape_template,
    "central": shape_central,
    "modules": shape_modules,
}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in SHAPES:
        sys.exit(__doc__)
    shape, scale, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if os.path.exists(out):
        sys.exit(f"{out} exists")
    os.makedirs(out)
    os.makedirs(os.path.join(out, ".git"))
    SHAPES[shape](out, scale, random.Random(f"{shape}-{scale}"))


if __name__ == "__main__":
    main()
